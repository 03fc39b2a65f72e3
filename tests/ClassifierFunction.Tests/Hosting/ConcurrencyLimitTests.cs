using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.RateLimiting;
using Mic.ClassifierFunction.Tests.Api;
using Mic.ClassifierFunction.Tests.Page;
using Mic.Core.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Tests.Hosting;

/// <summary>
/// The classify concurrency limit on a real Kestrel port: one slot and a queue of one. An upload whose body stalls
/// half-way holds the slot; the next request waits in the queue; the one after is refused with 503 and Retry-After,
/// while other endpoints still answer; when the stalled upload finishes, the queued request is served.
/// </summary>
public sealed class ConcurrencyLimitTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private ClassifierApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await TestBundles.PublishColorAsync(new FileModelStore(_temp.Combine("store")), _temp.Path, "v1");
        _app = new ClassifierApp(_temp.Combine("store"), _temp.Combine("cache"), new Dictionary<string, string?>
        {
            ["Mic:Concurrency:MaxConcurrentRequests"] = "1",
            ["Mic:Concurrency:QueueLimit"] = "1",
            ["Mic:Concurrency:RetryAfterSeconds"] = "7",
        });
        _client = new HttpClient { BaseAddress = KestrelApp.Start(_app), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Classify_BeyondSlotAndQueue_Is503WithRetryAfter_AndTheQueuedRequestIsServedAfterwards()
    {
        var photo = Images.TintedPhoto("red");
        var stalled = new StalledContent(photo);
        var holding = _client.PostAsync("/classify", stalled);
        await WaitForAsync(s => s.CurrentAvailablePermits == 0);

        var queued = _client.PostAsync("/classify", ClassifyApiTests.Jpeg(photo));
        await WaitForAsync(s => s.CurrentQueuedCount == 1);

        using (var refused = await _client.PostAsync("/classify", ClassifyApiTests.Jpeg(photo)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        }

        using (var health = await _client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.False(queued.IsCompleted);
        stalled.Release();
        using var held = await holding;
        using var served = await queued;
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    // The limiter's own counters tell when the slot is taken and the queue holds a request (no timing guesses).
    private async Task WaitForAsync(Func<RateLimiterStatistics, bool> condition)
    {
        var limiter = _app.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        var classify = new DefaultHttpContext { Request = { Method = "POST", Path = "/classify" } };
        for (var i = 0; i < 600 && !condition(limiter.GetStatistics(classify)!); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(limiter.GetStatistics(classify)!), "the limiter did not reach the expected state within 30 s");
    }

    /// <summary>An image upload that sends its first half, then waits for <see cref="Release"/> to send the rest.</summary>
    private sealed class StalledContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StalledContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            Headers.ContentLength = bytes.Length;
        }

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = _bytes.Length / 2;
            await stream.WriteAsync(_bytes.AsMemory(0, half));
            await stream.FlushAsync();
            await _release.Task;
            await stream.WriteAsync(_bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
