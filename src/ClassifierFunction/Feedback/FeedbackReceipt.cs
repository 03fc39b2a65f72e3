namespace Mic.ClassifierFunction.Feedback;

/// <summary>
/// What <c>POST /feedback</c> answers: the image's key under <c>feedback/</c>, and whether this request stored it
/// (<see cref="Created"/> false: the same image already had this label, nothing was written).
/// </summary>
internal sealed record FeedbackReceipt(string Key, string Label, string Sha256, bool Created);
