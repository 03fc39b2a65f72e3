using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mic.ClassifierFunction.Lambda;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>
/// A scriptable Runtime API on a real loopback port, for what the third-party peer cannot show: real deadlines and
/// trace ids (@vercel/fun sends a constant deadline and no trace id) and the exact bytes posted back.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<(string Id, byte[] Payload, DateTimeOffset? Deadline, string? TraceId)> _events = Channel.CreateUnbounded<(string, byte[], DateTimeOffset?, string?)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FakeRuntimeResult>> _results = new();
    private readonly TaskCompletionSource<FakeRuntimeResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeRuntimeApi(WebApplication app) => _app = app;

    public string Address { get; private set; } = "";

    public static async Task<FakeRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var api = new FakeRuntimeApi(builder.Build());
        api.Map();
        await api._app.StartAsync();
        api.Address = new Uri(api._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;
        return api;
    }

    /// <summary>
    /// Queues an event and waits for the function's response or error, or its start-up failure (kind
    /// <c>init-error</c>), for <paramref name="timeout"/> (30 s unless given).
    /// </summary>
    public async Task<FakeRuntimeResult> InvokeAsync(string payload, DateTimeOffset? deadline = null, string? traceId = null, TimeSpan? timeout = null)
    {
        var id = Guid.NewGuid().ToString();
        var result = _results.GetOrAdd(id, _ => new TaskCompletionSource<FakeRuntimeResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _events.Writer.WriteAsync((id, System.Text.Encoding.UTF8.GetBytes(payload), deadline, traceId));
        return await Task.WhenAny(result.Task, _initError.Task).Unwrap().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map()
    {
        _app.MapGet("/2018-06-01/runtime/invocation/next", async (HttpResponse response, CancellationToken cancellationToken) =>
        {
            var (id, payload, deadline, traceId) = await _events.Reader.ReadAsync(cancellationToken);
            response.Headers[RuntimeApiClient.RequestIdHeader] = id;
            response.Headers[RuntimeApiClient.DeadlineHeader] =
                (deadline ?? DateTimeOffset.UtcNow.AddMinutes(5)).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            response.Headers[RuntimeApiClient.FunctionArnHeader] = "arn:aws:lambda:eu-west-1:123456789012:function:mic";
            if (traceId is not null)
            {
                response.Headers[RuntimeApiClient.TraceIdHeader] = traceId;
            }

            response.ContentType = "application/json";
            await response.Body.WriteAsync(payload, cancellationToken);
        });
        _app.MapPost("/2018-06-01/runtime/invocation/{id}/{kind}", async (string id, string kind, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _results.GetOrAdd(id, _ => new TaskCompletionSource<FakeRuntimeResult>(TaskCreationOptions.RunContinuationsAsynchronously))
                .TrySetResult(new FakeRuntimeResult(kind, request.Headers[RuntimeApiClient.ErrorTypeHeader].FirstOrDefault(), body.ToArray()));
            return Results.Accepted();
        });
        _app.MapPost("/2018-06-01/runtime/init/error", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _initError.TrySetResult(new FakeRuntimeResult("init-error", request.Headers[RuntimeApiClient.ErrorTypeHeader].FirstOrDefault(), body.ToArray()));
            return Results.Accepted();
        });
    }
}

/// <summary>What the function posted: <c>response</c>, <c>error</c> or <c>init-error</c>, the error type header, and the body.</summary>
public sealed record FakeRuntimeResult(string Kind, string? ErrorType, byte[] Body)
{
    public System.Text.Json.JsonDocument Json() => System.Text.Json.JsonDocument.Parse(Body);
}
