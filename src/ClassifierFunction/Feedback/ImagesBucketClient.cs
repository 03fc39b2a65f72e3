using Amazon.S3;

namespace Mic.ClassifierFunction.Feedback;

/// <summary>
/// The images bucket's S3 client, made on first use: feedback on a laptop (a folder store, no uploads) never needs
/// one, and without AWS settings none can be made. Thread-safe.
/// </summary>
internal sealed class ImagesBucketClient(Func<IAmazonS3> create)
{
    private readonly Lazy<IAmazonS3> _client = new(create);

    public IAmazonS3 Value => _client.Value;
}
