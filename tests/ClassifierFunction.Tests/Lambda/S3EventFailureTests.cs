using System.Text;
using System.Text.Json;
using Mic.ClassifierFunction.Classification;
using Mic.ClassifierFunction.Configuration;
using Mic.ClassifierFunction.Feedback;
using Mic.ClassifierFunction.Lambda;
using Mic.ClassifierFunction.S3Events;
using Mic.ClassifierFunction.Telemetry;
using Mic.ClassifierFunction.Tests.Api;
using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>
/// Failures worth retrying fail the invocation (direct S3 events) or their queue message (the queue route), after
/// every other record was processed; records that retrying cannot help are refused or answered, never retried.
/// </summary>
public sealed class S3EventFailureTests : IAsyncLifetime
{
    private const string Bucket = "images";
    private readonly TempDirectory _temp = new();
    private readonly ScriptedS3Client _s3 = new();
    private readonly StringWriter _log = new();
    private ModelHost _host = null!;
    private S3UploadClassifier _uploads = null!;

    public async Task InitializeAsync()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        _host = new ModelHost(store, new ModelHostOptions { CacheDirectory = _temp.Combine("cache") }, NullLogger<ModelHost>.Instance);
        await _host.RefreshAsync(CancellationToken.None);
        _uploads = Uploads(_host);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        _s3.Dispose();
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task HandleAsync_ThrottledRecord_FailsTheInvocationButClassifiesTheOthers()
    {
        _s3.Objects["uploads/a.jpg"] = Images.TintedPhoto("red");
        _s3.Objects["uploads/b.jpg"] = Images.TintedPhoto("blue");
        _s3.Failures["uploads/a.jpg"] = ScriptedS3Client.Throttled();

        var e = await Assert.ThrowsAsync<S3EventFailedException>(() => HandleS3Async(_uploads, "uploads/a.jpg", "uploads/b.jpg"));

        Assert.Contains("1 of 2 records failed", e.Message);
        Assert.Contains("uploads/a.jpg: AmazonS3Exception", e.Message);
        Assert.False(_s3.Objects.ContainsKey("results/a.jpg.json"));
        using var b = JsonDocument.Parse(_s3.Objects["results/b.jpg.json"]);
        Assert.Equal("blue", b.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
        Assert.Contains("\"Outcome\":\"transient\"", _log.ToString());
    }

    [Fact]
    public async Task HandleAsync_ResultWriteTimesOut_FailsTheInvocation()
    {
        _s3.Objects["uploads/c.jpg"] = Images.TintedPhoto("green");
        _s3.Failures["results/c.jpg.json"] = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout");

        var e = await Assert.ThrowsAsync<S3EventFailedException>(() => HandleS3Async(_uploads, "uploads/c.jpg"));

        Assert.Contains("TaskCanceledException", e.Message);
    }

    [Fact]
    public async Task HandleAsync_NoModelLoadedYet_FailsTheInvocation()
    {
        using var empty = new ModelHost(new FileModelStore(_temp.Combine("empty")), new ModelHostOptions { CacheDirectory = _temp.Combine("c2") },
            NullLogger<ModelHost>.Instance);
        _s3.Objects["uploads/d.jpg"] = Images.TintedPhoto("green");

        var e = await Assert.ThrowsAsync<S3EventFailedException>(() => HandleS3Async(Uploads(empty), "uploads/d.jpg"));

        Assert.Contains("no model is loaded yet", e.Message);
        Assert.False(_s3.Objects.ContainsKey("results/d.jpg.json"));
    }

    [Fact]
    public async Task HandleAsync_SameEventTwice_RewritesTheSameResult()
    {
        _s3.Objects["uploads/e.jpg"] = Images.TintedPhoto("red");

        await HandleS3Async(_uploads, "uploads/e.jpg");
        using var first = JsonDocument.Parse(_s3.Objects["results/e.jpg.json"]);
        await HandleS3Async(_uploads, "uploads/e.jpg");
        using var second = JsonDocument.Parse(_s3.Objects["results/e.jpg.json"]);

        Assert.Equal(first.RootElement.GetProperty("predictions").GetRawText(), second.RootElement.GetProperty("predictions").GetRawText());
        Assert.Equal(first.RootElement.GetProperty("sourceETag").GetString(), second.RootElement.GetProperty("sourceETag").GetString());
        Assert.Equal(2, _s3.Objects.Count);
    }

    [Fact]
    public async Task HandleAsync_RecordOfAnotherBucket_IsRefusedWithoutReadingOrWriting()
    {
        _s3.Objects["uploads/f.jpg"] = Images.TintedPhoto("red");
        _s3.Failures["uploads/f.jpg"] = new InvalidOperationException("the other bucket's object was read");

        using var summary = JsonDocument.Parse(await HandleS3Async(_uploads, "uploads/f.jpg", bucket: "someone-elses-bucket"));

        Assert.Equal(1, summary.RootElement.GetProperty("rejected").GetInt32());
        Assert.False(_s3.Objects.ContainsKey("results/f.jpg.json"));
        Assert.Contains("\"Outcome\":\"refused\"", _log.ToString());
        Assert.Contains("not the images bucket", _log.ToString());
    }

    [Fact]
    public async Task HandleQueue_ThrottledUpload_IsTheOnlyMessageDeliveredAgain()
    {
        _s3.Objects["uploads/g.jpg"] = Images.TintedPhoto("red");
        _s3.Objects["uploads/h.jpg"] = Images.TintedPhoto("blue");
        _s3.Failures["uploads/g.jpg"] = ScriptedS3Client.Throttled();

        var failed = await HandleQueueAsync(Notification("uploads/g.jpg"), Notification("uploads/h.jpg"));

        Assert.Equal(["message-0"], failed);
        Assert.True(_s3.Objects.ContainsKey("results/h.jpg.json"));
        Assert.False(_s3.Objects.ContainsKey("results/g.jpg.json"));
    }

    [Fact]
    public async Task HandleQueue_TestEventAndOtherBucket_AreDoneWithoutWork()
    {
        const string testEvent = """{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-12-03T10:00:00.000Z","Bucket":"images","RequestId":"5582815E","HostId":"8cLeGAmw"}""";
        _s3.Objects["uploads/i.jpg"] = Images.TintedPhoto("red");

        var failed = await HandleQueueAsync(testEvent, Notification("uploads/i.jpg", "another-bucket"));

        Assert.Empty(failed);
        Assert.Single(_s3.Objects);
        Assert.Contains("\"Outcome\":\"refused\"", _log.ToString());
    }

    [Fact]
    public async Task HandleQueue_MessageThatIsNoNotification_IsDeliveredAgain()
    {
        var failed = await HandleQueueAsync("hello", Notification("uploads/missing.jpg"));

        Assert.Equal(["message-0"], failed);
        using var missing = JsonDocument.Parse(_s3.Objects["results/missing.jpg.json"]);
        Assert.Equal("not_found", missing.RootElement.GetProperty("error").GetProperty("kind").GetString());
    }

    private S3UploadClassifier Uploads(ModelHost host) =>
        new(_s3, new ServingClassifier(host, new ImageClassifier(new ImageDecoder(ImageLimits.Default))),
            Options.Create(new S3EventOptions { Bucket = Bucket }), Options.Create(new ClassifierFunctionOptions()),
            Options.Create(new FeedbackOptions { UncertaintyThreshold = 0 }),
            new FeedbackRecorder(new OpenedStore(new FileModelStore(_temp.Combine("feedback-store")), null), new ImagesBucketClient(() => _s3), TimeProvider.System),
            new RequestLog(_log, TimeProvider.System));

    private static string Notification(string key, string bucket = Bucket) => LambdaEvents.S3(bucket, key).ToJsonString();

    private static Task<byte[]> HandleS3Async(S3UploadClassifier uploads, string key, string? second = null, string bucket = Bucket) =>
        InvokeAsync(new S3EventHandler(uploads), LambdaEvents.S3(bucket, second is null ? [key] : [key, second]).ToJsonString());

    private async Task<List<string>> HandleQueueAsync(params string[] bodies)
    {
        using var response = JsonDocument.Parse(await InvokeAsync(new SqsEventHandler(_uploads, NullLogger<SqsEventHandler>.Instance),
            LambdaEvents.Sqs(bodies).ToJsonString()));
        return [.. response.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!)];
    }

    private static Task<byte[]> InvokeAsync(ILambdaEventHandler handler, string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(handler.CanHandle(document.RootElement));
        return handler.HandleAsync(new LambdaInvocation("req", null, null, null, Encoding.UTF8.GetBytes(json)), document.RootElement.Clone(),
            CancellationToken.None);
    }
}
