using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Mic.Core.Store;

/// <summary>
/// A model store under <c>s3://bucket/prefix</c>. The client is not owned: the caller disposes it.
/// </summary>
public sealed class S3ModelStore(IAmazonS3 client, string bucket, string prefix) : IModelStore
{
    private readonly string _prefix = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";

    public string Location => $"s3://{bucket}/{_prefix}".TrimEnd('/');

    /// <summary>The bucket, for server-side copies into the store.</summary>
    public string Bucket => bucket;

    /// <summary>The key prefix, empty or ending in '/'.</summary>
    public string Prefix => _prefix;

    public async Task<StoredObject?> ReadAsync(string key, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = bucket, Key = _prefix + key };
        if (ifNoneMatch is not null)
        {
            request.EtagToNotMatch = ifNoneMatch;
        }

        try
        {
            using var response = await client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new StoredObject(buffer.ToArray(), response.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotModified)
        {
            return StoredObject.NotModified;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DownloadAsync(string key, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetObjectAsync(bucket, _prefix + key, cancellationToken).ConfigureAwait(false);
            await using var output = File.Create(path);
            await response.ResponseStream.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{Location}/{key} does not exist", key, e);
        }
    }

    public async Task WriteAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) =>
        await client.PutObjectAsync(Put(key, content, contentType), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// A HEAD first (a server that ignores conditional writes still refuses an existing key, short of a race), then a
    /// PUT with <c>If-None-Match: *</c>, which AWS S3 refuses with 412 (or 409 while another conditional write to the key
    /// is in flight) when the key exists by then.
    /// </summary>
    public async Task<bool> TryCreateAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectMetadataAsync(bucket, _prefix + key, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Absent: create it.
        }

        var request = Put(key, content, contentType);
        request.IfNoneMatch = "*";
        try
        {
            await client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await client.DeleteObjectAsync(bucket, _prefix + key, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = _prefix + prefix };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key[_prefix.Length..]));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private PutObjectRequest Put(string key, Stream content, string contentType) => new()
    {
        BucketName = bucket,
        Key = _prefix + key,
        InputStream = content,
        ContentType = contentType,
        AutoCloseStream = false,
    };
}
