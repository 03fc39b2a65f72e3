using System.Text.Json.Serialization;

namespace Mic.Core.Models;

/// <summary>
/// The <c>manifest.json</c> of a model bundle (docs/architecture.md, "Model contract"). Schema version 1.
/// Serialized camelCase through <see cref="ModelJsonContext"/>.
/// </summary>
public sealed record ModelManifest
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required string Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required ModelInput Input { get; init; }
    public required ModelFile Model { get; init; }
    public ModelMetrics? Metrics { get; init; }
    public TrainingInfo? Training { get; init; }
    public QuantizationInfo? Quantization { get; init; }

    /// <summary>
    /// Test-time augmentation built into the model file: null (none) or <c>flip</c> (the model averages each image's
    /// probabilities with its mirror image's; two network passes per image). Informational: the contract is the same.
    /// </summary>
    public string? TestTimeAugmentation { get; init; }
}

/// <summary>What the model's <c>pixels</c> input expects: width and height in pixels, and how a photo gets there.</summary>
public sealed record ModelInput(int Width, int Height, [property: JsonConverter(typeof(ResizePolicyJsonConverter))] ResizePolicy Resize);

/// <summary>The ONNX file inside the bundle: its name, SHA-256 (lowercase hex) and size in bytes.</summary>
public sealed record ModelFile(string File, string Sha256, long Bytes, string Precision);

public sealed record ModelMetrics
{
    public double? Accuracy { get; init; }
    public double? AccuracyFp32 { get; init; }
    public IReadOnlyList<ClassMetrics>? PerClass { get; init; }
    /// <summary>Row = actual label, column = predicted label, in <see cref="ModelManifest.Labels"/> order.</summary>
    public IReadOnlyList<IReadOnlyList<int>>? Confusion { get; init; }
}

public sealed record ClassMetrics(string Label, double Precision, double Recall, int Support);

public sealed record TrainingInfo
{
    public string? Dataset { get; init; }
    public int? Images { get; init; }
    public string? DatasetHash { get; init; }
    public string? Backbone { get; init; }
    public int? Epochs { get; init; }
    public string? Schedule { get; init; }
    public string? Device { get; init; }
    public double? Seconds { get; init; }
}

public sealed record QuantizationInfo(string Method, int CalibrationImages);
