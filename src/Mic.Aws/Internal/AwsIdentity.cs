using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace Mic.Aws.Internal;

/// <summary>
/// The region and credentials a client signs with: from <see cref="AwsClientOptions"/>, else from the SDK's default
/// chains, looked up once on first use. Thread-safe.
/// </summary>
internal sealed class AwsIdentity(AwsClientOptions options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AWSCredentials? _credentials = options.Credentials;
    private RegionEndpoint? _region = options.Region is { Length: > 0 } name ? RegionEndpoint.GetBySystemName(name) : null;

    public async Task<RegionEndpoint> GetRegionAsync(CancellationToken cancellationToken)
    {
        if (_region is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The fallback chain reads AWS_REGION / AWS_DEFAULT_REGION, the profile's region, then instance metadata.
            _region ??= FallbackRegionFactory.GetRegionEndpoint()
                ?? throw new AwsConfigurationException(
                    "no AWS region: set AWS_REGION, or a region in your AWS profile (aws configure set region eu-west-1)");
            return _region;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<AWSCredentials> GetCredentialsAsync(CancellationToken cancellationToken)
    {
        if (_credentials is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_credentials is null)
            {
                using var resolver = new DefaultAWSCredentialsIdentityResolver();
                try
                {
                    _credentials = await resolver.ResolveIdentityAsync(null!, cancellationToken).ConfigureAwait(false);
                }
                catch (ProfileNotFoundException e)
                {
                    throw new AwsConfigurationException(
                        $"{e.Message.TrimEnd('.')} in the AWS config and credentials files (AWS_PROFILE; aws configure --profile NAME)", e);
                }
                catch (Exception e) when (e is AmazonClientException or AmazonServiceException)
                {
                    // The SDK lists every provider it tried over many lines; the user needs to know what to set.
                    throw new AwsConfigurationException(
                        "no AWS credentials found: set AWS_PROFILE (aws configure, or aws sso login --profile NAME), or "
                        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or run with an IAM role", e);
                }
            }

            return _credentials;
        }
        finally
        {
            _gate.Release();
        }
    }
}
