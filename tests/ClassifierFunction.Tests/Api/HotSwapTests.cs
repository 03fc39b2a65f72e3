using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Tests.Api;

public sealed class HotSwapTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Publish_WhileRequestsRun_NoRequestFails_AndNewVersionIsServed()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        await using var app = new ClassifierApp(store.Root, _temp.Combine("cache"));
        using var client = app.CreateClient();
        var red = ClassifyApiTests.Jpeg(Images.TintedPhoto("red"));
        var body = await red.ReadAsByteArrayAsync();
        var failures = new ConcurrentBag<string>();
        var versions = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();

        var load = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.PostAsync("/classify", ClassifyApiTests.Jpeg(body));
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"HTTP {(int)response.StatusCode}");
                    continue;
                }

                using var json = await ClassifyApiTests.ReadJsonAsync(response);
                var version = json.RootElement.GetProperty("modelVersion").GetString()!;
                var label = json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString();
                versions.Add(version);
                if (label != (version == "v1" ? "red" : "rouge"))
                {
                    failures.Add($"{version} answered {label}");
                }
            }
        })).ToArray();

        // Publish only once requests are being answered by v1 (a loaded CI machine may take a while to get there).
        var warmUp = Stopwatch.StartNew();
        while (versions.Count(v => v == "v1") < 10 && failures.IsEmpty && warmUp.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        await TestBundles.PublishColorAsync(store, _temp.Path, "v2", ["rouge", "vert", "bleu"]);
        var published = Stopwatch.StartNew();
        // The poll interval is 0.2 s; allow generous slack for a loaded machine, then check the new version is served.
        while (!versions.Contains("v2") && published.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.Contains("v1", versions);
        Assert.Contains("v2", versions);
    }

    [Fact]
    public async Task Publish_BrokenBundle_OldModelKeepsServing()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        await using var app = new ClassifierApp(store.Root, _temp.Combine("cache"));
        using var client = app.CreateClient();

        var broken = TestBundles.Write(_temp.Combine("bad"), TestModels.Color(32, 32, classes: 4), "v2", ["a", "b", "c"], 32, 32);
        await ModelPublisher.PublishAsync(store, broken, CancellationToken.None);
        await Task.Delay(1000); // five poll intervals

        using var response = await client.GetAsync("/healthz");
        using var json = await ClassifyApiTests.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v1", json.RootElement.GetProperty("modelVersion").GetString());
    }
}
