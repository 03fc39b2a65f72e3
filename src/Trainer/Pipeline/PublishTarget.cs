using Mic.Core.Store;

namespace Mic.Trainer.Pipeline;

/// <summary>A model store to publish to: <c>--publish</c>/<c>--store</c> (folder, file:///path or s3://bucket/prefix) and how to reach S3.</summary>
public sealed record PublishTarget(string Store, S3ConnectionOptions Connection)
{
    /// <summary>
    /// A target whose S3 endpoint is <paramref name="serviceUrl"/> (path-style, e.g. Ceph RGW) or AWS's, signed by the
    /// AWS SDK's default credential chain (environment keys with <c>AWS_SESSION_TOKEN</c>, profiles and SSO, container
    /// and instance roles — a Batch job has only its role), in <c>AWS_REGION</c> when set.
    /// </summary>
    public static PublishTarget FromEnvironment(string store, string? serviceUrl) => new(store, new S3ConnectionOptions
    {
        ServiceUrl = serviceUrl,
        ForcePathStyle = serviceUrl is not null,
        Region = Environment.GetEnvironmentVariable("AWS_REGION"),
    });

    /// <summary>Opens the store; dispose the result when done.</summary>
    public OpenedStore Open() => ModelStoreLocation.Open(Store, Connection);
}
