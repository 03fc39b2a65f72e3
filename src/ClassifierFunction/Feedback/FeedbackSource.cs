namespace Mic.ClassifierFunction.Feedback;

/// <summary>
/// Where a feedback image came from: the request body (<see cref="Request"/>), an upload named by its key
/// (<see cref="Upload"/>) or the S3 path's low-confidence queue (<see cref="Uncertain"/>). For the two upload kinds
/// <see cref="Bucket"/>, <see cref="Key"/> and <see cref="ETag"/> name the exact object version that was read.
/// </summary>
internal sealed record FeedbackSource(string Kind, string? Bucket = null, string? Key = null, string? ETag = null)
{
    public const string Request = "request";
    public const string Upload = "upload";
    public const string Uncertain = "uncertain";

    public static FeedbackSource FromRequest { get; } = new(Request);

    public bool IsObject => Bucket is not null && Key is not null;
}
