using Microsoft.AspNetCore.Http.HttpResults;

namespace Mic.ClassifierFunction.Feedback;

/// <summary>What <see cref="FeedbackIntake"/> made of one request: a <see cref="Receipt"/>, or the <see cref="Problem"/> it was refused with.</summary>
internal sealed record FeedbackOutcome(FeedbackReceipt? Receipt, ProblemHttpResult? Problem)
{
    public static implicit operator FeedbackOutcome(FeedbackReceipt receipt) => new(receipt, null);

    public static implicit operator FeedbackOutcome(ProblemHttpResult problem) => new(null, problem);
}
