using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Mic.Core.Store;

/// <summary>Parses a model store URI: <c>s3://bucket/prefix</c>, <c>file:///path</c> or a plain directory path.</summary>
public static class ModelStoreLocation
{
    /// <summary>True and no error when <paramref name="uri"/> names a store MIC can open.</summary>
    public static bool TryValidate(string? uri, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(uri))
        {
            error = "the model store is not set (a folder path, file:///path or s3://bucket/prefix)";
            return false;
        }

        if (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var bucket = uri[5..].Split('/', 2)[0];
            if (bucket.Length is < 3 or > 63)
            {
                error = $"'{uri}' has no valid bucket name (s3://bucket/prefix)";
                return false;
            }

            return true;
        }

        if (uri.Contains("://", StringComparison.Ordinal) && !uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{uri}' uses an unsupported scheme (use a folder path, file:///path or s3://bucket/prefix)";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Opens the store. For S3 a client is created from <paramref name="s3"/>; it is disposed with the returned
    /// <see cref="OpenedStore"/>.
    /// </summary>
    public static OpenedStore Open(string uri, S3ConnectionOptions? s3 = null)
    {
        if (!TryValidate(uri, out var error))
        {
            throw new ArgumentException(error, nameof(uri));
        }

        if (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var parts = uri[5..].Split('/', 2);
            var client = CreateS3Client(s3 ?? new S3ConnectionOptions());
            return new OpenedStore(new S3ModelStore(client, parts[0], parts.Length > 1 ? parts[1] : ""), client);
        }

        var path = uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(uri).LocalPath : uri;
        return new OpenedStore(new FileModelStore(path), null);
    }

    /// <summary>
    /// An S3 client for <paramref name="options"/>: an endpoint override for S3-compatible servers, and static keys when
    /// given, else the AWS SDK's default credential chain (see <see cref="S3ConnectionOptions"/>).
    /// </summary>
    public static AmazonS3Client CreateS3Client(S3ConnectionOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // S3-compatible servers (Ceph RGW) reject or mis-handle the SDK's default flexible checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (!string.IsNullOrEmpty(options.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return options.AccessKey is { Length: > 0 } access
            ? new AmazonS3Client(new BasicAWSCredentials(access, options.SecretKey), config)
            : new AmazonS3Client(config);
    }
}
