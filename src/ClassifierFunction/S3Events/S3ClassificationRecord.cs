using Mic.Core.Inference;

namespace Mic.ClassifierFunction.S3Events;

/// <summary>
/// The result object written for one upload (<c>results/&lt;key&gt;.json</c>). Either <see cref="Predictions"/> or
/// <see cref="Error"/> is set. <see cref="SourceETag"/> names the exact upload version that was classified.
/// </summary>
internal sealed record S3ClassificationRecord(string Bucket, string Key, string? SourceETag, long? SourceBytes)
{
    public string? ModelVersion { get; init; }

    public IReadOnlyList<Prediction>? Predictions { get; init; }

    public ImageSummary? Image { get; init; }

    public S3Timings? Timings { get; init; }

    public S3RecordError? Error { get; init; }
}
