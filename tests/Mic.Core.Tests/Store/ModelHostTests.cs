using System.Text;
using Mic.Core.Models;
using Mic.Core.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mic.Core.Tests.Store;

public sealed class ModelHostTests : IDisposable
{
    private static readonly string[] French = ["rouge", "vert", "bleu"];
    private readonly TempDirectory _temp = new();
    private readonly FileModelStore _store;

    public ModelHostTests() => _store = new FileModelStore(_temp.Combine("store"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Refresh_EmptyStore_HasNoModel()
    {
        using var host = CreateHost();

        Assert.Equal(ModelRefreshOutcome.NoModel, await host.RefreshAsync(CancellationToken.None));
        Assert.Null(host.TryAcquire());
        Assert.Null(host.Manifest);
    }

    [Fact]
    public async Task Refresh_PublishedBundle_IsServed_ThenUnchanged()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        using var host = CreateHost();

        Assert.Equal(ModelRefreshOutcome.Loaded, await host.RefreshAsync(CancellationToken.None));
        Assert.Equal(ModelRefreshOutcome.Unchanged, await host.RefreshAsync(CancellationToken.None));
        using var lease = host.TryAcquire();
        Assert.Equal("v1", lease!.Classifier.Manifest.Version);
        Assert.True(File.Exists(Path.Combine(_temp.Path, "cache", "v1", "model.onnx")));
    }

    [Fact]
    public async Task Refresh_NewVersion_SwapsWhileOldLeaseKeepsWorking()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        using var host = CreateHost();
        await host.RefreshAsync(CancellationToken.None);
        using var oldLease = host.TryAcquire()!;

        await TestBundles.PublishColorAsync(_store, _temp.Path, "v2", French);
        var outcome = await host.RefreshAsync(CancellationToken.None);

        Assert.Equal(ModelRefreshOutcome.Loaded, outcome);
        Assert.Equal("v2", host.Manifest!.Version);
        // The swapped-out session is still usable by the request that holds it.
        var red = Enumerable.Repeat(new byte[] { 255, 0, 0 }, 32 * 32).SelectMany(p => p).ToArray();
        Assert.Equal("red", oldLease.Classifier.Top(oldLease.Classifier.Run(red, 1), 1)[0].Label);
        using var newLease = host.TryAcquire()!;
        Assert.Equal("rouge", newLease.Classifier.Top(newLease.Classifier.Run(red, 1), 1)[0].Label);
    }

    [Fact]
    public async Task Refresh_LatestWithWrongHash_IsRefusedAndOldModelKeepsServing()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        using var host = CreateHost();
        await host.RefreshAsync(CancellationToken.None);
        var v2 = TestBundles.Color(_temp.Combine("v2"), "v2");
        await ModelPublisher.PublishAsync(_store, v2, CancellationToken.None);
        var pointer = await ModelPublisher.VerifyStoredAsync(_store, "v2", CancellationToken.None);
        await ModelPublisher.PointLatestAsync(_store, pointer with { Sha256 = new string('0', 64) }, CancellationToken.None);

        Assert.Equal(ModelRefreshOutcome.Refused, await host.RefreshAsync(CancellationToken.None));
        Assert.Equal("v1", host.Manifest!.Version);
        // Refused once for this latest.json: not downloaded again on every poll.
        Assert.Equal(ModelRefreshOutcome.Unchanged, await host.RefreshAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Refresh_BundleBreakingTheContract_IsRefused()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        using var host = CreateHost();
        await host.RefreshAsync(CancellationToken.None);
        var broken = TestBundles.Write(_temp.Combine("bad"), TestModels.Color(32, 32, inputName: "image"), "v2", TestModels.ColorLabels, 32, 32);
        await ModelPublisher.PublishAsync(_store, broken, CancellationToken.None);

        Assert.Equal(ModelRefreshOutcome.Refused, await host.RefreshAsync(CancellationToken.None));
        Assert.Equal("v1", host.Manifest!.Version);
    }

    [Theory]
    [InlineData("not json", "invalid JSON")]
    [InlineData("{\"version\":\"../../etc\",\"sha256\":\"00\"}", "not a safe name")]
    [InlineData("{\"version\":\"v1\",\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\"}", "mic-train rollback v1")]
    public async Task Refresh_LatestJsonInvalid_IsRefused(string latest, string reason)
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        await _store.WriteAsync(StoreLayout.LatestKey, new MemoryStream(Encoding.UTF8.GetBytes(latest)), "application/json", CancellationToken.None);
        var log = new RecordingLogger<ModelHost>();
        using var host = CreateHost(log);

        Assert.Equal(ModelRefreshOutcome.Refused, await host.RefreshAsync(CancellationToken.None));
        Assert.Null(host.Manifest);
        Assert.Contains(log.Messages, m => m.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_ManifestMissingFromStore_IsRefused()
    {
        await ModelPublisher.PointLatestAsync(_store, new LatestPointer("v7", new string('a', 64), new string('b', 64)), CancellationToken.None);
        using var host = CreateHost();

        Assert.Equal(ModelRefreshOutcome.Refused, await host.RefreshAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Refresh_ManifestChangedAfterPublishing_IsRefused()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        // Same model, same version, a manifest that still validates: only latest.json's pin can tell.
        var manifest = Path.Combine(_store.Root, "models", "v1", "manifest.json");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("\"accuracy\": 0.9", "\"accuracy\": 0.99", StringComparison.Ordinal));
        var log = new RecordingLogger<ModelHost>();
        using var host = CreateHost(log);

        Assert.Equal(ModelRefreshOutcome.Refused, await host.RefreshAsync(CancellationToken.None));
        Assert.Null(host.Manifest);
        Assert.Contains(log.Messages, m => m.Contains("changed after publishing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_BundleReplacedByAnotherConsistentBundle_IsRefused()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        // A whole other model with a manifest that matches it, under the published version's name.
        var other = TestBundles.Write(_temp.Combine("other"), TestModels.Color(16, 16), "v1", TestModels.ColorLabels, 16, 16);
        File.Copy(other.ModelPath, Path.Combine(_store.Root, "models", "v1", "model.onnx"), overwrite: true);
        File.Copy(Path.Combine(other.Directory, "manifest.json"), Path.Combine(_store.Root, "models", "v1", "manifest.json"), overwrite: true);
        using var host = CreateHost();

        Assert.Equal(ModelRefreshOutcome.Refused, await host.RefreshAsync(CancellationToken.None));
        Assert.Null(host.Manifest);
    }

    [Fact]
    public async Task Refresh_CachedManifestChanged_IsFetchedAgain()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        using (var first = CreateHost())
        {
            Assert.Equal(ModelRefreshOutcome.Loaded, await first.RefreshAsync(CancellationToken.None));
        }

        var cached = _temp.Combine("cache", "v1", "manifest.json");
        var original = await File.ReadAllBytesAsync(cached);
        await File.AppendAllTextAsync(cached, " ");
        using var second = CreateHost();

        Assert.Equal(ModelRefreshOutcome.Loaded, await second.RefreshAsync(CancellationToken.None));
        Assert.Equal(original, await File.ReadAllBytesAsync(cached));
    }

    [Fact]
    public async Task Swap_UnderConcurrentLoad_NoRequestFails()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        using var host = CreateHost();
        await host.RefreshAsync(CancellationToken.None);
        var red = Enumerable.Repeat(new byte[] { 255, 0, 0 }, 32 * 32).SelectMany(p => p).ToArray();
        var failures = 0;
        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var lease = host.TryAcquire()!;
                    var label = lease.Classifier.Top(lease.Classifier.Run(red, 1), 1)[0].Label;
                    var expected = lease.Classifier.Manifest.Version == "v1" ? "red" : "rouge";
                    answers.Add(lease.Classifier.Manifest.Version);
                    if (label != expected)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        await Task.Delay(200);
        for (var v = 2; v <= 6; v++)
        {
            await TestBundles.PublishColorAsync(_store, _temp.Path, $"v{v}", French);
            Assert.Equal(ModelRefreshOutcome.Loaded, await host.RefreshAsync(CancellationToken.None));
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Equal(0, failures);
        Assert.Contains("v1", answers);
        Assert.Contains("v6", answers);
    }

    [Fact]
    public async Task Run_PollsAndPicksUpANewModel()
    {
        using var host = CreateHost();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var polling = host.RunAsync(TimeSpan.FromMilliseconds(50), cts.Token);

        await TestBundles.PublishColorAsync(_store, _temp.Path, "v3");
        while (host.Manifest is null && !cts.IsCancellationRequested)
        {
            await Task.Delay(20);
        }

        await cts.CancelAsync();
        await polling;
        Assert.Equal("v3", host.Manifest?.Version);
    }

    private ModelHost CreateHost(ILogger<ModelHost>? logger = null) =>
        new(_store, new ModelHostOptions { CacheDirectory = _temp.Combine("cache") }, logger ?? NullLogger<ModelHost>.Instance);
}

[Collection(RgwCollection.Name)]
public sealed class S3ModelHostTests(RgwFixture rgw) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Refresh_BundlePublishedToRgw_IsServedAndSwapped()
    {
        var store = new S3ModelStore(rgw.Client, await rgw.CreateBucketAsync(), "");
        await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        using var host = new ModelHost(store, new ModelHostOptions { CacheDirectory = _temp.Combine("cache") }, NullLogger<ModelHost>.Instance);

        Assert.Equal(ModelRefreshOutcome.Loaded, await host.RefreshAsync(CancellationToken.None));
        Assert.Equal(ModelRefreshOutcome.Unchanged, await host.RefreshAsync(CancellationToken.None));
        await TestBundles.PublishColorAsync(store, _temp.Path, "v2");
        Assert.Equal(ModelRefreshOutcome.Loaded, await host.RefreshAsync(CancellationToken.None));
        Assert.Equal("v2", host.Manifest!.Version);
    }
}
