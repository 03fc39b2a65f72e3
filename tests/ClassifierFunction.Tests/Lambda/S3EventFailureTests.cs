using System.Text;
using System.Text.Json;
using Mic.ClassifierFunction.Hosting;
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

/// <summary>Failures worth retrying fail the invocation, after every other record was processed.</summary>
public sealed class S3EventFailureTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ScriptedS3Client _s3 = new();
    private readonly StringWriter _log = new();
    private ModelHost _host = null!;
    private S3EventHandler _handler = null!;

    public async Task InitializeAsync()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        _host = new ModelHost(store, new ModelHostOptions { CacheDirectory = _temp.Combine("cache") }, NullLogger<ModelHost>.Instance);
        await _host.RefreshAsync(CancellationToken.None);
        _handler = new S3EventHandler(new S3UploadClassifier(_s3, _host, new ImageClassifier(new ImageDecoder(ImageLimits.Default)),
            Options.Create(new S3EventOptions()), Options.Create(new ClassifierFunctionOptions()), new RequestLog(_log, TimeProvider.System)));
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

        var e = await Assert.ThrowsAsync<S3EventFailedException>(() => HandleAsync("uploads/a.jpg", "uploads/b.jpg"));

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

        var e = await Assert.ThrowsAsync<S3EventFailedException>(() => HandleAsync("uploads/c.jpg"));

        Assert.Contains("TaskCanceledException", e.Message);
    }

    [Fact]
    public async Task HandleAsync_NoModelLoadedYet_FailsTheInvocation()
    {
        using var empty = new ModelHost(new FileModelStore(_temp.Combine("empty")), new ModelHostOptions { CacheDirectory = _temp.Combine("c2") },
            NullLogger<ModelHost>.Instance);
        var handler = new S3EventHandler(new S3UploadClassifier(_s3, empty, new ImageClassifier(new ImageDecoder(ImageLimits.Default)),
            Options.Create(new S3EventOptions()), Options.Create(new ClassifierFunctionOptions()), new RequestLog(_log, TimeProvider.System)));
        _s3.Objects["uploads/d.jpg"] = Images.TintedPhoto("green");

        var e = await Assert.ThrowsAsync<S3EventFailedException>(() => Handle(handler, "uploads/d.jpg"));

        Assert.Contains("no model is loaded yet", e.Message);
        Assert.False(_s3.Objects.ContainsKey("results/d.jpg.json"));
    }

    [Fact]
    public async Task HandleAsync_SameEventTwice_RewritesTheSameResult()
    {
        _s3.Objects["uploads/e.jpg"] = Images.TintedPhoto("red");

        await HandleAsync("uploads/e.jpg");
        using var first = JsonDocument.Parse(_s3.Objects["results/e.jpg.json"]);
        await HandleAsync("uploads/e.jpg");
        using var second = JsonDocument.Parse(_s3.Objects["results/e.jpg.json"]);

        Assert.Equal(first.RootElement.GetProperty("predictions").GetRawText(), second.RootElement.GetProperty("predictions").GetRawText());
        Assert.Equal(first.RootElement.GetProperty("sourceETag").GetString(), second.RootElement.GetProperty("sourceETag").GetString());
        Assert.Equal(2, _s3.Objects.Count);
    }

    private Task<byte[]> HandleAsync(params string[] keys) => Handle(_handler, keys);

    private static Task<byte[]> Handle(S3EventHandler handler, params string[] keys)
    {
        var json = LambdaEvents.S3("images", keys).ToJsonString();
        using var document = JsonDocument.Parse(json);
        return handler.HandleAsync(new LambdaInvocation("req", null, null, null, Encoding.UTF8.GetBytes(json)), document.RootElement.Clone(),
            CancellationToken.None);
    }
}
