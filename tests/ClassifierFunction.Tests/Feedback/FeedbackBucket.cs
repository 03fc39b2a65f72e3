using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Mic.ClassifierFunction.Tests.Api;
using Mic.Core.Store;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.ClassifierFunction.Tests.Feedback;

/// <summary>
/// One RGW bucket laid out as the deployed stack's: the model store at its root (a colour model, labels red, green and
/// blue, published as v1), uploads and feedback beside it, and the function configured for it.
/// </summary>
internal sealed class FeedbackBucket(RgwFixture rgw, string bucket, TempDirectory temp)
{
    public string Name => bucket;

    public IAmazonS3 Client => rgw.Client;

    public static async Task<FeedbackBucket> CreateAsync(RgwFixture rgw, TempDirectory temp)
    {
        var bucket = await rgw.CreateBucketAsync();
        await TestBundles.PublishColorAsync(new S3ModelStore(rgw.Client, bucket, ""), temp.Path, "v1");
        return new FeedbackBucket(rgw, bucket, temp);
    }

    public ClassifierApp App(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mic:S3:ServiceUrl"] = rgw.Connection.ServiceUrl,
            ["Mic:S3:ForcePathStyle"] = "true",
            ["Mic:S3:AccessKey"] = rgw.Connection.AccessKey,
            ["Mic:S3:SecretKey"] = rgw.Connection.SecretKey,
            ["Mic:Uploads:Bucket"] = bucket,
            ["Mic:S3Events:Bucket"] = bucket,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ClassifierApp($"s3://{bucket}", temp.Combine("cache-" + Guid.NewGuid().ToString("N")), settings);
    }

    public async Task PutAsync(string key, byte[] content)
    {
        using var stream = new MemoryStream(content);
        await rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream, ContentType = "image/jpeg" });
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix = FeedbackLayout.Prefix)
    {
        var listed = await rgw.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return [.. (listed.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal)];
    }

    public async Task<byte[]> GetAsync(string key)
    {
        using var response = await rgw.Client.GetObjectAsync(bucket, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async Task<JsonDocument> GetJsonAsync(string key) => JsonDocument.Parse(await GetAsync(key));

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A mid-grey JPEG: the mean-colour model cannot tell its colour, so no label gets half the probability.</summary>
    public static byte[] GreyPhoto()
    {
        using var image = new Image<Rgb24>(64, 48, new Rgb24(128, 128, 128));
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 90 });
        return output.ToArray();
    }

    public static ByteArrayContent Jpeg(byte[] bytes) => ClassifyApiTests.Jpeg(bytes);
}
