using Amazon.Runtime;

namespace Mic.Aws;

/// <summary>
/// Where and as whom the AWS clients call. Leave everything unset on AWS and on a configured laptop: the region and
/// credentials then come from the SDK's default chain (environment variables including a session token, the shared
/// config and credentials files with <c>AWS_PROFILE</c>, SSO profiles, assumed-role profiles, ECS/Batch container
/// roles, EC2 instance roles).
/// </summary>
public sealed record AwsClientOptions
{
    /// <summary>Region system name (<c>eu-west-1</c>); null = <c>AWS_REGION</c>, the profile's region, or the instance's.</summary>
    public string? Region { get; init; }

    /// <summary>Endpoint override (a local emulator); null = the service's regional endpoint.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>Fixed credentials; null = the SDK's default credential chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Limit for one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per call for throttling, server errors and network failures (1 = no retry).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Clock for request signatures and retry back-off.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
