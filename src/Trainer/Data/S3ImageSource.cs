using Amazon.S3;
using Amazon.S3.Model;

namespace Mic.Trainer.Data;

/// <summary>
/// A folder-per-class dataset under an S3 prefix: <c>s3://bucket/prefix/&lt;label&gt;/&lt;key&gt;</c>. Keys deeper than the
/// label segment are kept under that label. The client is borrowed, not disposed.
/// </summary>
public sealed class S3ImageSource(IAmazonS3 client, string uri) : IImageSource
{
    private readonly (string Bucket, string Prefix) _location = Parse(uri);

    public string Description => uri;

    public IReadOnlyList<string>? Labels => null;

    public static bool IsS3Uri(string text) => text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    public async Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken)
    {
        var (bucket, prefix) = _location;
        var images = new List<SourceImage>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                var relative = item.Key[prefix.Length..];
                var parts = relative.Split('/', 2);
                if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0 || parts[1].EndsWith('/'))
                {
                    continue;
                }

                var key = item.Key;
                images.Add(new SourceImage(relative, parts[0], null, ct => ReadAsync(bucket, key, ct)));
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        return images.OrderBy(i => i.Id, StringComparer.Ordinal).ToArray();
    }

    private async Task<byte[]> ReadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await client.GetObjectAsync(bucket, key, cancellationToken);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static (string Bucket, string Prefix) Parse(string uri)
    {
        if (!IsS3Uri(uri))
        {
            throw new ArgumentException($"'{uri}' is not an s3://bucket/prefix URI", nameof(uri));
        }

        var parts = uri[5..].Split('/', 2);
        var prefix = parts.Length > 1 ? parts[1].Trim('/') : "";
        return (parts[0], prefix.Length == 0 ? "" : prefix + "/");
    }
}
