using System.Text.Json.Serialization;

namespace Mic.Trainer.Retraining;

/// <summary>
/// The one-line JSON a retrain run ends with, for <c>mic-train submit</c> and anyone reading the job's log:
/// <c>{"mic":"retrain-summary","outcome":"published",...}</c>. Accuracies are fractions (0..1).
/// </summary>
internal sealed record RetrainSummary
{
    public const string Marker = "retrain-summary";

    [JsonPropertyOrder(-1)]
    public string Mic { get; init; } = Marker;

    /// <summary><see cref="RetrainExitCodes.Name"/> of the <see cref="RetrainOutcome"/>.</summary>
    public required string Outcome { get; init; }

    public required bool Published { get; init; }

    /// <summary>Why it was or was not published, one sentence.</summary>
    public required string Reason { get; init; }

    public required int ExitCode { get; init; }

    public string? Version { get; init; }

    public double? Accuracy { get; init; }

    public double? AccuracyFp32 { get; init; }

    public string? ChampionVersion { get; init; }

    public double? ChampionAccuracy { get; init; }

    public string? DatasetHash { get; init; }

    public int? Epochs { get; init; }

    public string? JobId { get; init; }
}
