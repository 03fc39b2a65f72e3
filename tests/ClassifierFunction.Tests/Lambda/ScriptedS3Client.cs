using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>
/// An S3 client whose objects live in memory and whose failures are scripted per key, for the failures a real
/// server will not produce on demand (throttling, 5xx, timeouts). Only the calls the upload classifier makes exist.
/// </summary>
internal sealed class ScriptedS3Client() : AmazonS3Client(new BasicAWSCredentials("test", "test"),
    new AmazonS3Config { ServiceURL = "http://127.0.0.1:9", MaxErrorRetry = 0 })
{
    public ConcurrentDictionary<string, byte[]> Objects { get; } = new();

    /// <summary>Key → the exception every call on that key throws.</summary>
    public ConcurrentDictionary<string, Exception> Failures { get; } = new();

    public static AmazonS3Exception Throttled() =>
        new("Please reduce your request rate.", ErrorType.Sender, "SlowDown", "req-1", HttpStatusCode.ServiceUnavailable);

    public override Task<GetObjectMetadataResponse> GetObjectMetadataAsync(string bucketName, string key, CancellationToken cancellationToken = default)
    {
        Fail(key);
        return Objects.TryGetValue(key, out var content)
            ? Task.FromResult(new GetObjectMetadataResponse { ContentLength = content.Length, ETag = $"\"{content.Length}\"" })
            : throw new AmazonS3Exception("Not Found", ErrorType.Sender, "NotFound", "req-2", HttpStatusCode.NotFound);
    }

    public override Task<GetObjectResponse> GetObjectAsync(GetObjectRequest request, CancellationToken cancellationToken = default)
    {
        Fail(request.Key);
        return Task.FromResult(new GetObjectResponse { ResponseStream = new MemoryStream(Objects[request.Key]) });
    }

    public override Task<PutObjectResponse> PutObjectAsync(PutObjectRequest request, CancellationToken cancellationToken = default)
    {
        Fail(request.Key);
        using var content = new MemoryStream();
        request.InputStream.CopyTo(content);
        Objects[request.Key] = content.ToArray();
        return Task.FromResult(new PutObjectResponse());
    }

    private void Fail(string key)
    {
        if (Failures.TryGetValue(key, out var failure))
        {
            throw failure;
        }
    }
}
