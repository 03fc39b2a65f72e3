namespace Mic.Core.Store;

/// <summary>
/// How to reach S3. On AWS leave everything empty: region and credentials come from the environment (the Lambda
/// role). For an S3-compatible server (Ceph RGW, MinIO) set <see cref="ServiceUrl"/> and path-style addressing.
/// </summary>
public sealed record S3ConnectionOptions
{
    public string? ServiceUrl { get; init; }

    public bool ForcePathStyle { get; init; }

    public string? Region { get; init; }

    /// <summary>Static credentials for S3-compatible servers; on AWS use the role instead.</summary>
    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }
}
