namespace Mic.Core.Store;

/// <summary>
/// How to reach S3. On AWS leave everything empty: region and credentials come from the AWS SDK's default chain
/// (environment variables including <c>AWS_SESSION_TOKEN</c>, the shared config and credentials files with
/// <c>AWS_PROFILE</c>, SSO and assume-role profiles, web identity, and container and instance roles; on Lambda the
/// function's role). For an S3-compatible server (Ceph RGW, MinIO) set <see cref="ServiceUrl"/> and path-style
/// addressing; its credentials come from the same chain unless <see cref="AccessKey"/> is set.
/// </summary>
public sealed record S3ConnectionOptions
{
    public string? ServiceUrl { get; init; }

    public bool ForcePathStyle { get; init; }

    public string? Region { get; init; }

    /// <summary>Static credentials, used instead of the default chain when set (S3-compatible servers).</summary>
    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }
}
