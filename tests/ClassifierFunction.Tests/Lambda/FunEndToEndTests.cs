using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Mic.ClassifierFunction.Tests.Api;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>
/// The published function under a real, third-party Lambda Runtime API (@vercel/fun) with its model store and
/// images in a real Ceph RGW. Each test cold-starts its own function process.
/// </summary>
[Collection(RgwCollection.Name)]
public sealed class FunEndToEndTests(RgwFixture rgw, PublishedFunction function) : IClassFixture<PublishedFunction>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task HttpApiV2_Base64JpegAndMultipart_Return200WithPredictionsAndOneLogLineEach()
    {
        var bucket = await BucketWithModelAsync("fun-v1");
        await using var peer = await StartAsync(bucket);

        var result = await peer.InvokeAsync(LambdaEvents.HttpApiV2("POST", "/classify", Images.TintedPhoto("green"), "image/jpeg"));

        Assert.Null(result.FunctionError);
        using var response = result.Json();
        Assert.Equal(200, response.RootElement.GetProperty("statusCode").GetInt32());
        Assert.False(response.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.StartsWith("application/json", response.RootElement.GetProperty("headers").GetProperty("Content-Type").GetString());
        using var body = JsonDocument.Parse(response.RootElement.GetProperty("body").GetString()!);
        Assert.Equal("fun-v1", body.RootElement.GetProperty("modelVersion").GetString());
        Assert.Equal("green", body.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());

        // Warm: the same process answers the next events, a multipart form as the page sends it included.
        var model = await peer.InvokeAsync(LambdaEvents.HttpApiV2("GET", "/model"));
        using var modelResponse = model.Json();
        Assert.Equal(200, modelResponse.RootElement.GetProperty("statusCode").GetInt32());
        using var form = new MultipartFormDataContent("mic-boundary") { { new ByteArrayContent(Images.TintedPhoto("red")), "file", "photo.jpg" } };
        var multipart = await peer.InvokeAsync(LambdaEvents.HttpApiV2("POST", "/classify", await form.ReadAsByteArrayAsync(),
            form.Headers.ContentType!.ToString()));
        using var multipartResponse = multipart.Json();
        Assert.Equal(200, multipartResponse.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Contains("\"label\":\"red\"", multipartResponse.RootElement.GetProperty("body").GetString());

        // One line per request, each its own request id.
        var lines = LogLines(peer);
        Assert.Equal(["POST /classify", "GET /model", "POST /classify"], lines.Select(l => l.GetProperty("Operation").GetString()));
        Assert.Equal(3, lines.Select(l => l.GetProperty("requestId").GetString()).Distinct().Count());
        var line = lines[0];
        Assert.Equal("ok", line.GetProperty("Outcome").GetString());
        Assert.Equal("fun-v1", line.GetProperty("modelVersion").GetString());
        Assert.Equal("MIC", line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString());
    }

    [Fact]
    public async Task RestV1_StagePathAndQuery_Returns200WithTopPredictions()
    {
        var bucket = await BucketWithModelAsync("fun-rest");
        await using var peer = await StartAsync(bucket);

        var result = await peer.InvokeAsync(LambdaEvents.RestV1("POST", "/classify", Images.TintedPhoto("blue"), "image/jpeg",
            multiValueQuery: new JsonObject { ["top"] = new JsonArray("2") }));

        Assert.Null(result.FunctionError);
        using var response = result.Json();
        Assert.Equal(200, response.RootElement.GetProperty("statusCode").GetInt32());
        Assert.True(response.RootElement.TryGetProperty("multiValueHeaders", out _));
        using var body = JsonDocument.Parse(response.RootElement.GetProperty("body").GetString()!);
        var predictions = body.RootElement.GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        Assert.Equal("blue", predictions[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task S3Event_UploadWithEncodedKey_WritesResultNextToItInRgw()
    {
        var bucket = await BucketWithModelAsync("fun-s3");
        const string key = "uploads/my photo+1 ü.jpg";
        var put = await PutAsync(bucket, key, Images.TintedPhoto("red"));
        await using var peer = await StartAsync(bucket);

        var result = await peer.InvokeAsync(LambdaEvents.S3(bucket, "uploads/my+photo%2B1+%C3%BC.jpg"));

        Assert.Null(result.FunctionError);
        using var stored = await ReadResultAsync(bucket, "results/my photo+1 ü.jpg.json");
        var root = stored.RootElement;
        Assert.Equal(key, root.GetProperty("key").GetString());
        Assert.Equal(bucket, root.GetProperty("bucket").GetString());
        Assert.Equal(put.ETag.Trim('"'), root.GetProperty("sourceETag").GetString());
        Assert.Equal("fun-s3", root.GetProperty("modelVersion").GetString());
        Assert.Equal("red", root.GetProperty("predictions")[0].GetProperty("label").GetString());
        Assert.True(root.GetProperty("timings").GetProperty("totalMs").GetDouble() > 0);
        Assert.False(root.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task S3Event_CorruptMissingTooLargeAndResultRecords_EachGetsItsOwnOutcome()
    {
        var bucket = await BucketWithModelAsync("fun-mixed");
        var jpeg = Images.TintedPhoto("green");
        await PutAsync(bucket, "uploads/good.jpg", jpeg);
        await PutAsync(bucket, "uploads/broken.jpg", jpeg[..(jpeg.Length / 2)]);
        await PutAsync(bucket, "uploads/notes.txt", "not an image"u8.ToArray());
        await PutAsync(bucket, "uploads/huge.jpg", new byte[300_000]);
        await PutAsync(bucket, "results/earlier.jpg.json", "{}"u8.ToArray());
        var environment = Environment(bucket);
        environment["Mic__MaxImageBytes"] = "250000";
        await using var peer = await FunPeer.StartAsync(function.Directory, environment);

        var result = await peer.InvokeAsync(LambdaEvents.S3(bucket,
            "uploads/broken.jpg", "uploads/gone.jpg", "results/earlier.jpg.json", "uploads/notes.txt", "uploads/huge.jpg", "uploads/good.jpg"));

        Assert.Null(result.FunctionError);
        using (var broken = await ReadResultAsync(bucket, "results/broken.jpg.json"))
        {
            Assert.Equal("corrupt", broken.RootElement.GetProperty("error").GetProperty("kind").GetString());
            Assert.False(broken.RootElement.TryGetProperty("predictions", out _));
        }

        using (var gone = await ReadResultAsync(bucket, "results/gone.jpg.json"))
        {
            Assert.Equal("not_found", gone.RootElement.GetProperty("error").GetProperty("kind").GetString());
        }

        using (var notes = await ReadResultAsync(bucket, "results/notes.txt.json"))
        {
            Assert.Equal("unsupported_format", notes.RootElement.GetProperty("error").GetProperty("kind").GetString());
        }

        using (var huge = await ReadResultAsync(bucket, "results/huge.jpg.json"))
        {
            Assert.Equal("too_large", huge.RootElement.GetProperty("error").GetProperty("kind").GetString());
            Assert.Equal(300_000, huge.RootElement.GetProperty("sourceBytes").GetInt64());
        }

        using (var good = await ReadResultAsync(bucket, "results/good.jpg.json"))
        {
            Assert.Equal("green", good.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
        }

        var results = await rgw.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "results/" });
        Assert.Equal(
            ["results/broken.jpg.json", "results/earlier.jpg.json", "results/gone.jpg.json", "results/good.jpg.json", "results/huge.jpg.json",
                "results/notes.txt.json"],
            results.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));
        var outcomes = LogLines(peer).Where(l => l.GetProperty("Operation").GetString() == "s3 ObjectCreated")
            .Select(l => l.GetProperty("Outcome").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["corrupt", "not_found", "ok", "skipped", "too_large", "unsupported_format"], outcomes);
    }

    [Fact]
    public async Task S3Event_RecordThatCannotBeWritten_FailsInvocationAfterTheOthers()
    {
        var bucket = await BucketWithModelAsync("fun-retry");
        await PutAsync(bucket, "uploads/denied.jpg", Images.TintedPhoto("red"));
        await PutAsync(bucket, "uploads/good.jpg", Images.TintedPhoto("blue"));
        // A permission the function lacks, as a misconfigured role would: RGW refuses that one result with 403.
        await rgw.Client.PutBucketPolicyAsync(bucket, $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::{{bucket}}/results/denied*"}]}
            """);
        await using var peer = await StartAsync(bucket);

        var result = await peer.InvokeAsync(LambdaEvents.S3(bucket, "uploads/denied.jpg", "uploads/good.jpg"));

        Assert.Equal("Handled", result.FunctionError);
        using var error = result.Json();
        Assert.Equal("S3EventFailedException", error.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("1 of 2 records failed", error.RootElement.GetProperty("errorMessage").GetString());
        using var good = await ReadResultAsync(bucket, "results/good.jpg.json");
        Assert.Equal("blue", good.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
    }

    [Fact]
    public async Task S3Event_RecordOfAnotherBucket_IsRefusedAndTheOthersClassified()
    {
        var bucket = await BucketWithModelAsync("fun-other");
        var other = await rgw.CreateBucketAsync();
        await PutAsync(other, "uploads/theirs.jpg", Images.TintedPhoto("red"));
        await PutAsync(bucket, "uploads/ours.jpg", Images.TintedPhoto("blue"));
        await using var peer = await StartAsync(bucket);
        var lambdaEvent = LambdaEvents.S3(bucket, "uploads/theirs.jpg", "uploads/ours.jpg");
        lambdaEvent["Records"]![0]!["s3"]!["bucket"]!["name"] = other;

        var result = await peer.InvokeAsync(lambdaEvent);

        Assert.Null(result.FunctionError);
        using var summary = result.Json();
        Assert.Equal(1, summary.RootElement.GetProperty("classified").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("rejected").GetInt32());
        var listed = await rgw.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = other });
        Assert.Equal(["uploads/theirs.jpg"], listed.S3Objects.Select(o => o.Key));
        Assert.Contains(LogLines(peer), l => l.GetProperty("Outcome").GetString() == "refused" && l.GetProperty("target").GetString() == $"{other}/uploads/theirs.jpg");
    }

    [Fact]
    public async Task HttpApiV2_BodyOverWhatAnInvocationCarries_Is413NamingTheUploadRoute()
    {
        var bucket = await BucketWithModelAsync("fun-limit");
        await using var peer = await StartAsync(bucket);
        // Under Mic:MaxImageBytes (20 MiB), over the 4.5 MB an API request carries on Lambda by default.
        var body = new byte[4_600_000];

        var result = await peer.InvokeAsync(LambdaEvents.HttpApiV2("POST", "/classify", body, "image/jpeg"));

        using var response = result.Json();
        Assert.Equal(413, response.RootElement.GetProperty("statusCode").GetInt32());
        using var problem = JsonDocument.Parse(response.RootElement.GetProperty("body").GetString()!);
        var detail = problem.RootElement.GetProperty("detail").GetString();
        Assert.Contains("4500000 bytes", detail);
        Assert.Contains("POST /uploads", detail);
    }

    [Fact]
    public async Task UnknownEvent_FailsNamingItsShape()
    {
        var bucket = await BucketWithModelAsync("fun-unknown");
        await using var peer = await StartAsync(bucket);

        var result = await peer.InvokeAsync(new JsonObject { ["detail-type"] = "Scheduled Event", ["source"] = "aws.events" });

        Assert.Equal("Handled", result.FunctionError);
        using var error = result.Json();
        var message = error.RootElement.GetProperty("errorMessage").GetString();
        Assert.Contains("unrecognised event", message);
        Assert.Contains("detail-type", message);
    }

    [Fact]
    public async Task Init_InvalidConfiguration_IsReportedToInitError()
    {
        await using var peer = await FunPeer.StartAsync(function.Directory, new Dictionary<string, string>
        {
            ["Mic__ModelStore"] = "ftp://models.example.com/store",
        });

        var result = await peer.InvokeAsync(LambdaEvents.HttpApiV2("GET", "/healthz"));

        Assert.Equal("Unhandled", result.FunctionError);
        using var error = result.Json();
        Assert.Equal("InvalidConfiguration", error.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("Mic:ModelStore", error.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Init_UnreadableModelStore_IsReportedToInitError()
    {
        var bucket = await BucketWithModelAsync("fun-denied");
        var environment = Environment(bucket);
        environment["Mic__S3__SecretKey"] = "not-the-secret";
        await using var peer = await FunPeer.StartAsync(function.Directory, environment);

        var result = await peer.InvokeAsync(LambdaEvents.HttpApiV2("GET", "/healthz"));

        Assert.Equal("Unhandled", result.FunctionError);
        using var error = result.Json();
        Assert.Contains($"the model store s3://{bucket} cannot be read", error.RootElement.GetProperty("errorMessage").GetString());
        Assert.DoesNotContain("not-the-secret", result.Payload);
    }

    private async Task<string> BucketWithModelAsync(string version)
    {
        var bucket = await rgw.CreateBucketAsync();
        await TestBundles.PublishColorAsync(new S3ModelStore(rgw.Client, bucket, ""), _temp.Path, version);
        return bucket;
    }

    private Dictionary<string, string> Environment(string bucket) => new()
    {
        ["Mic__ModelStore"] = $"s3://{bucket}",
        ["Mic__CacheDirectory"] = _temp.Combine("cache-" + Guid.NewGuid().ToString("N")),
        ["Mic__IntraOpThreads"] = "1",
        ["Mic__PollIntervalSeconds"] = "300",
        ["Mic__S3__ServiceUrl"] = rgw.Connection.ServiceUrl!,
        ["Mic__S3__ForcePathStyle"] = "true",
        ["Mic__S3__AccessKey"] = rgw.Connection.AccessKey!,
        ["Mic__S3__SecretKey"] = rgw.Connection.SecretKey!,
        ["Mic__S3Events__Bucket"] = bucket,
    };

    private Task<FunPeer> StartAsync(string bucket) => FunPeer.StartAsync(function.Directory, Environment(bucket));

    private async Task<PutObjectResponse> PutAsync(string bucket, string key, byte[] content)
    {
        using var stream = new MemoryStream(content);
        return await rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream });
    }

    private async Task<JsonDocument> ReadResultAsync(string bucket, string key)
    {
        try
        {
            using var response = await rgw.Client.GetObjectAsync(bucket, key);
            Assert.Equal("application/json", response.Headers.ContentType);
            return await JsonDocument.ParseAsync(response.ResponseStream);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new Xunit.Sdk.XunitException($"s3://{bucket}/{key} was not written");
        }
    }

    private static List<JsonElement> LogLines(FunPeer peer) =>
        [.. peer.FunctionOutput
            .Where(l => l.StartsWith("{\"_aws\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement)];
}
