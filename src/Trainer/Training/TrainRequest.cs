using Mic.Trainer.Data;

namespace Mic.Trainer.Training;

/// <summary>Everything one <c>train</c> run needs: where the data and backbone come from, and where the bundle goes.</summary>
public sealed record TrainRequest
{
    public required IImageSource Source { get; init; }
    public required string OutputDirectory { get; init; }
    public string Backbone { get; init; } = Model.BackboneLoader.OfflineResNet18;
    public string? Normalization { get; init; }
    public string? BackboneOutput { get; init; }
    public int ImageSize { get; init; } = 224;
    public double ValidFraction { get; init; } = 0.2;
    public IReadOnlySet<string> Exclude { get; init; } = new HashSet<string>();
    public int? MaxTrain { get; init; }
    public int? MaxValid { get; init; }
    public TrainingOptions Training { get; init; } = new();

    /// <summary>cpu, cuda, cuda:N, or auto (CUDA when available).</summary>
    public string Device { get; init; } = "auto";

    /// <summary>CPU threads for training; null = all cores. With 1, a seeded CPU run is bit-for-bit reproducible.</summary>
    public int? Threads { get; init; }

    /// <summary>Continue from the checkpoint in <see cref="OutputDirectory"/> (same settings and data required).</summary>
    public bool Resume { get; init; }

    /// <summary>
    /// A trained fp32 bundle (folder or its model.onnx) to start from instead of the pretrained backbone and a fresh
    /// head; null = a fresh start. See <see cref="Model.TrainedWeights"/>.
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>
    /// Export a model that averages each image's probabilities with its mirror image's (<see cref="Export.TestTimeFlip"/>).
    /// Training is the same either way.
    /// </summary>
    public bool FlipTta { get; init; }

    /// <summary>Model version written in the manifest; null = UTC timestamp.</summary>
    public string? Version { get; init; }

    public string CacheDirectory { get; init; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mic-trainer");
}
