using Mic.Core.Inference;

namespace Mic.ClassifierFunction.Feedback;

/// <summary>
/// The JSON written beside a feedback image (<c>feedback/&lt;label&gt;/&lt;sha256&gt;.json</c>): the label given, what the
/// model served at that time predicted, where the image came from and when. Written once, with the image; a
/// duplicate keeps the first.
/// </summary>
internal sealed record FeedbackSidecar(
    string Label,
    string Sha256,
    string Image,
    string ModelVersion,
    string PredictedLabel,
    float Probability,
    DateTimeOffset ReceivedAt,
    string Source)
{
    /// <summary>The upload it was copied from (<c>uploads/...</c>), for the two upload sources.</summary>
    public string? SourceKey { get; init; }

    public IReadOnlyList<Prediction>? Predictions { get; init; }
}
