using System.Reflection;
using System.Text.Json;
using Mic.ClassifierFunction.Tests.Api;
using Mic.ClassifierFunction.Tests.Lambda;
using Mic.ClassifierFunction.Tests.Page;

namespace Mic.ClassifierFunction.Tests.Deployment;

/// <summary>
/// docs/deploy.md's journey after <c>sam deploy</c>, with Ceph RGW as the stack's bucket and the commands a user types:
/// <c>mic-train publish</c> to the ModelStore output, <c>aws s3 cp</c> into uploads/, the result read back with
/// <c>aws s3 cp … -</c>, and <c>curl</c> on the API. The upload classifier runs as published, under @vercel/fun, with
/// the settings template.yaml gives it; the S3 event it handles is the one RGW itself sent for the upload.
/// </summary>
[Collection(RgwCollection.Name)]
public sealed class DeployJourneyTests(RgwFixture rgw, PublishedFunction function) : IClassFixture<PublishedFunction>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Journey_PublishUploadReadTheResultAndCallTheApi()
    {
        var bucket = await rgw.CreateBucketAsync(); // sam deploy made it; STORE is its ModelStore output
        var store = $"s3://{bucket}";
        var photo = _temp.Combine("photo.jpg");
        await File.WriteAllBytesAsync(photo, Images.TintedPhoto("blue"));

        // mic-train publish <bundle> --store "$STORE"   (an RGW endpoint needs --store-s3-service-url)
        var bundle = TestBundles.Color(_temp.Combine("bundle"), "journey-v1");
        await RunAsync(Trainer(), ["publish", bundle.Directory, "--store", store, "--store-s3-service-url", rgw.Connection.ServiceUrl!]);

        await using var uploadClassifier = await FunPeer.StartAsync(function.Directory, UploadClassifierEnvironment(bucket));
        await using var queue = RgwNotificationRelay.Start(uploadClassifier);
        await RunAsync("bash", [Path.Combine(TestAssets.RepositoryRoot, "scripts", "rgw", "notify.sh"), rgw.Connection.ServiceUrl!, bucket, queue.Url]);

        // aws s3 cp "my photo+1.jpg" "s3://$BUCKET/uploads/my photo+1.jpg"
        await RunAsync(AwsTools.Find("aws"), ["--endpoint-url", rgw.Connection.ServiceUrl!, "s3", "cp", photo, $"s3://{bucket}/uploads/my photo+1.jpg"]);
        // aws s3 cp "s3://$BUCKET/results/my photo+1.jpg.json" -
        var result = await PollAsync(queue, ["--endpoint-url", rgw.Connection.ServiceUrl!, "s3", "cp", $"s3://{bucket}/results/my photo+1.jpg.json", "-"]);

        using var json = JsonDocument.Parse(result);
        Assert.Equal("uploads/my photo+1.jpg", json.RootElement.GetProperty("key").GetString());
        Assert.Equal("journey-v1", json.RootElement.GetProperty("modelVersion").GetString());
        Assert.Equal("blue", json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
        var delivered = Assert.Single(queue.Delivered);
        using var notification = JsonDocument.Parse(delivered["body"]!.GetValue<string>());
        Assert.Equal("uploads/my+photo%2B1.jpg", notification.RootElement.GetProperty("Records")[0].GetProperty("s3").GetProperty("object").GetProperty("key").GetString());
        Assert.Contains("\"batchItemFailures\": []", delivered["response"]!.GetValue<string>());

        // curl -sS --data-binary @photo.jpg -H 'content-type: image/jpeg' "$API/classify?top=3"   (the API function, here on Kestrel)
        await using var app = new ClassifierApp(store, _temp.Combine("api-cache"), ApiSettings());
        var api = KestrelApp.Start(app).ToString().TrimEnd('/');
        var answer = await RunAsync("curl", ["-sS", "--fail-with-body", "--data-binary", "@" + photo, "-H", "content-type: image/jpeg", $"{api}/classify?top=3"]);
        using var classified = JsonDocument.Parse(answer);
        Assert.Equal(3, classified.RootElement.GetProperty("predictions").GetArrayLength());
        Assert.Equal("blue", classified.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
    }

    /// <summary>UploadClassifierFunction's environment in template.yaml, plus the RGW endpoint and key (AWS has the role).</summary>
    private Dictionary<string, string> UploadClassifierEnvironment(string bucket) => new()
    {
        ["Mic__ModelStore"] = $"s3://{bucket}",
        ["Mic__CacheDirectory"] = _temp.Combine("upload-cache"),
        ["Mic__S3Events__Bucket"] = bucket,
        ["Mic__S3Events__UploadPrefix"] = "uploads/",
        ["Mic__S3Events__ResultsPrefix"] = "results/",
        ["Mic__IntraOpThreads"] = "1",
        ["Mic__S3__ServiceUrl"] = rgw.Connection.ServiceUrl!,
        ["Mic__S3__ForcePathStyle"] = "true",
        ["Mic__S3__AccessKey"] = rgw.Connection.AccessKey!,
        ["Mic__S3__SecretKey"] = rgw.Connection.SecretKey!,
    };

    private Dictionary<string, string?> ApiSettings() => new()
    {
        ["Mic:S3:ServiceUrl"] = rgw.Connection.ServiceUrl,
        ["Mic:S3:ForcePathStyle"] = "true",
        ["Mic:S3:AccessKey"] = rgw.Connection.AccessKey,
        ["Mic:S3:SecretKey"] = rgw.Connection.SecretKey,
    };

    /// <summary>The RGW user's credentials, as a user's shell would hold them for awscli and mic-train.</summary>
    private Dictionary<string, string?> Credentials() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = rgw.Connection.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = rgw.Connection.SecretKey,
        ["AWS_DEFAULT_REGION"] = "us-east-1",
    };

    private async Task<string> RunAsync(string command, IEnumerable<string> arguments)
    {
        var run = await CommandRun.RunAsync(command, arguments, TimeSpan.FromMinutes(2), Credentials());
        Assert.True(run.ExitCode == 0, $"{command} {string.Join(' ', arguments)}: {run}");
        return run.Stdout;
    }

    private async Task<string> PollAsync(RgwNotificationRelay queue, IEnumerable<string> arguments)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var run = await CommandRun.RunAsync(AwsTools.Find("aws"), arguments, TimeSpan.FromMinutes(1), Credentials());
            if (run.ExitCode == 0)
            {
                return run.Stdout;
            }

            await Task.Delay(500);
        }

        throw new Xunit.Sdk.XunitException($"aws {string.Join(' ', arguments)} found no result within a minute; the queue delivered: " +
            string.Join('\n', queue.Delivered.Select(d => d.ToJsonString())));
    }

    private static string Trainer()
    {
        var configuration = typeof(DeployJourneyTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(TestAssets.RepositoryRoot, "src", "Trainer", "bin", configuration, "net10.0", "mic-train");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution first (dotnet build -c {configuration})", path);
    }
}
