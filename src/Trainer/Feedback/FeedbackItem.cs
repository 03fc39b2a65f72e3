using Mic.Core.Store;

namespace Mic.Trainer.Feedback;

/// <summary>
/// One image under <c>feedback/</c> and what its sidecar says: the model's prediction when it was sent
/// (<see cref="PredictedLabel"/>, <see cref="Probability"/>, <see cref="ModelVersion"/>), where it came from and when.
/// The sidecar fields are null when the sidecar is missing or unreadable.
/// </summary>
internal sealed record FeedbackItem(FeedbackImageKey Key)
{
    public string? PredictedLabel { get; init; }

    public double? Probability { get; init; }

    public string? ModelVersion { get; init; }

    public string? Source { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>False for <c>_unlabelled</c> and <c>_uncertain</c>: those need a label before they can be accepted.</summary>
    public bool HasTrainingLabel => !FeedbackLayout.IsReserved(Key.Label);
}
