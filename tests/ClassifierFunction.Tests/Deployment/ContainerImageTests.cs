using System.Globalization;
using System.Text.Json;
using Amazon.S3.Model;
using Mic.ClassifierFunction.Tests.Api;
using Mic.ClassifierFunction.Tests.Lambda;
using Mic.Core.Store;
using Xunit.Abstractions;

namespace Mic.ClassifierFunction.Tests.Deployment;

/// <summary>
/// The built container image, started by its own entry point under a Lambda Runtime API (<see cref="FakeRuntimeApi"/>),
/// with its model store and uploads in a real Ceph RGW: an HTTP API 2.0 event with a JPEG, a REST 1.0 event, and S3
/// notifications both as S3 sends them to a function and as the stack's queue delivers them. A separate CI step
/// (scripts/image/test.sh), since building the image takes minutes. It prints the image's size and its cold start
/// (container start to first answer) beside the same app started as a plain process (docs/lambda.md).
/// </summary>
[Trait("Category", "Image")]
[Collection(RgwCollection.Name)]
public sealed class ContainerImageTests(RgwFixture rgw, ContainerImage image, PublishedFunction function, ITestOutputHelper output)
    : IClassFixture<ContainerImage>, IClassFixture<PublishedFunction>
{
    [Fact]
    public async Task Image_UnderTheRuntimeApi_AnswersApiAndS3Events()
    {
        var bucket = await rgw.CreateBucketAsync();
        await TestBundles.PublishColorAsync(new S3ModelStore(rgw.Client, bucket, ""), Path.GetTempPath(), "image-v1");
        await rgw.Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "uploads/from the queue+1.jpg",
            InputStream = new MemoryStream(Images.TintedPhoto("red")),
        });
        await rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "uploads/direct.jpg", InputStream = new MemoryStream(Images.TintedPhoto("green")) });
        await using var runtime = await FakeRuntimeApi.StartAsync();

        await using var run = await image.RunAsync(Environment(bucket, runtime.Address));
        var api = await runtime.InvokeAsync(LambdaEvents.HttpApiV2("POST", "/classify", Images.TintedPhoto("green"), "image/jpeg").ToJsonString(),
            timeout: TimeSpan.FromMinutes(3));
        var coldStart = run.Elapsed;
        var rest = await runtime.InvokeAsync(LambdaEvents.RestV1("POST", "/classify", Images.TintedPhoto("blue"), "image/jpeg").ToJsonString());
        var queue = await runtime.InvokeAsync(LambdaEvents.Sqs(LambdaEvents.S3(bucket, "uploads/from+the+queue%2B1.jpg").ToJsonString()).ToJsonString());
        var direct = await runtime.InvokeAsync(LambdaEvents.S3(bucket, "uploads/direct.jpg").ToJsonString());

        var plain = await PlainProcessColdStartAsync(bucket);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"image {image.Name}: {image.Bytes / 1e6:F1} MB; container start to first answer {coldStart.TotalSeconds:F2} s; " +
            $"the published app as a plain process {plain.TotalSeconds:F2} s"));
        Assert.True(api.Kind == "response", string.Join('\n', run.Process.Output));
        Assert.Equal("green", TopLabel(api));
        Assert.Equal("blue", TopLabel(rest));
        using var batch = queue.Json();
        Assert.Equal(0, batch.RootElement.GetProperty("batchItemFailures").GetArrayLength());
        using var summary = direct.Json();
        Assert.Equal(1, summary.RootElement.GetProperty("classified").GetInt32());
        Assert.Equal("red", await ResultLabelAsync(bucket, "results/from the queue+1.jpg.json"));
        Assert.Equal("green", await ResultLabelAsync(bucket, "results/direct.jpg.json"));
    }

    /// <summary>The first answer of the tests' own publish (framework-dependent, JIT) started directly, no container.</summary>
    private async Task<TimeSpan> PlainProcessColdStartAsync(string bucket)
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var cache = new TempDirectory();
        var environment = Environment(bucket, runtime.Address);
        environment["Mic__CacheDirectory"] = cache.Path;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var process = LambdaProcess.Start(Path.Combine(function.Directory, "bootstrap"), [], environment);
        var answer = await runtime.InvokeAsync(LambdaEvents.HttpApiV2("POST", "/classify", Images.TintedPhoto("green"), "image/jpeg").ToJsonString(),
            timeout: TimeSpan.FromMinutes(3));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        Assert.Equal("green", TopLabel(answer));
        return elapsed;
    }

    private Dictionary<string, string> Environment(string bucket, string runtimeApi) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi,
        ["Mic__ModelStore"] = $"s3://{bucket}",
        ["Mic__IntraOpThreads"] = "1",
        ["Mic__S3__ServiceUrl"] = rgw.Connection.ServiceUrl!,
        ["Mic__S3__ForcePathStyle"] = "true",
        ["Mic__S3__AccessKey"] = rgw.Connection.AccessKey!,
        ["Mic__S3__SecretKey"] = rgw.Connection.SecretKey!,
        ["Mic__S3Events__Bucket"] = bucket,
    };

    private static string? TopLabel(FakeRuntimeResult result)
    {
        using var response = result.Json();
        Assert.Equal(200, response.RootElement.GetProperty("statusCode").GetInt32());
        using var body = JsonDocument.Parse(response.RootElement.GetProperty("body").GetString()!);
        return body.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString();
    }

    private async Task<string?> ResultLabelAsync(string bucket, string key)
    {
        using var result = await rgw.Client.GetObjectAsync(bucket, key);
        using var json = await JsonDocument.ParseAsync(result.ResponseStream);
        return json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString();
    }
}
