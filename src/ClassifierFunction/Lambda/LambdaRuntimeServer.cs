using System.Text.Json;
using Mic.ClassifierFunction.Internal;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Lambda;

/// <summary>
/// An ASP.NET Core server that takes its requests from the Lambda Runtime API instead of a socket, as
/// Amazon.Lambda.AspNetCoreServer.Hosting's LambdaServer does: <c>next</c> → dispatch → <c>response</c> or
/// <c>error</c>, one invocation at a time. API Gateway events run through the application's pipeline; other events
/// go to the registered <see cref="ILambdaEventHandler"/>s. Each invocation's deadline becomes its cancellation token
/// (<c>HttpContext.RequestAborted</c> for requests) and its trace id is set in <c>_X_AMZN_TRACE_ID</c> and, when
/// API Gateway sent none, the <c>X-Amzn-Trace-Id</c> request header.
/// </summary>
internal sealed class LambdaRuntimeServer : IServer
{
    private const string TraceHeader = "X-Amzn-Trace-Id";

    private readonly RuntimeApiClient _client;
    private readonly LambdaRuntimeOptions _options;
    private readonly IReadOnlyList<ILambdaEventHandler> _handlers;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<LambdaRuntimeServer> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public LambdaRuntimeServer(IOptions<LambdaRuntimeOptions> options, IEnumerable<ILambdaEventHandler> handlers,
        IHostApplicationLifetime lifetime, ILogger<LambdaRuntimeServer> logger)
    {
        _options = options.Value;
        _client = new RuntimeApiClient(_options.RuntimeApi is { Length: > 0 } api
            ? api
            : throw new InvalidOperationException($"{LambdaRuntimeOptions.RuntimeApiVariable} is not set: this server only runs on Lambda"));
        _handlers = [.. handlers];
        _lifetime = lifetime;
        _logger = logger;
    }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        // Owned, not fire-and-forget: StopAsync awaits it, and it stops the host if the Runtime API goes away.
        _loop = RunAsync(application, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _client.Dispose();
    }

    private async Task RunAsync<TContext>(IHttpApplication<TContext> application, CancellationToken stopping)
        where TContext : notnull
    {
        await Task.Yield(); // let StartAsync return before the first long poll
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var invocation = await _client.NextAsync(stopping).ConfigureAwait(false);
                await InvokeAsync(application, invocation, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            Log.RuntimeApiFailed(_logger, _options.RuntimeApi!, e);
            _lifetime.StopApplication();
        }
    }

    private async Task InvokeAsync<TContext>(IHttpApplication<TContext> application, LambdaInvocation invocation,
        CancellationToken stopping)
        where TContext : notnull
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (invocation.Deadline is { } at)
        {
            var remaining = at - DateTimeOffset.UtcNow - _options.DeadlineMargin;
            deadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        Environment.SetEnvironmentVariable(LambdaRuntimeOptions.TraceIdVariable, invocation.TraceId);
        try
        {
            using var document = JsonDocument.Parse(invocation.Payload);
            var payload = document.RootElement;
            if (ApiGatewayRequest.TryRead(payload, out var request))
            {
                await ProcessRequestAsync(application, invocation, request, deadline.Token, stopping).ConfigureAwait(false);
                return;
            }

            var handler = _handlers.FirstOrDefault(h => h.CanHandle(payload)) ?? throw UnrecognizedEventException.For(payload);
            var response = await handler.HandleAsync(invocation, payload, deadline.Token).ConfigureAwait(false);
            await _client.RespondAsync(invocation.RequestId, response, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            var error = deadline.IsCancellationRequested
                ? new LambdaError("DeadlineExceeded", $"the invocation did not finish within its deadline (less a {_options.DeadlineMargin.TotalMilliseconds} ms margin)")
                : e is JsonException
                    ? new LambdaError("InvalidEvent", $"the event is not JSON: {e.Message}")
                    : LambdaError.From(e);
            Log.InvocationFailed(_logger, invocation.RequestId, error.Type, error.Message, e);
            await _client.ReportErrorAsync(invocation.RequestId, error, stopping).ConfigureAwait(false);
        }
    }

    private async Task ProcessRequestAsync<TContext>(IHttpApplication<TContext> application, LambdaInvocation invocation,
        ApiGatewayRequest request, CancellationToken deadline, CancellationToken stopping)
        where TContext : notnull
    {
        if (request.BodyError is { } unreadable)
        {
            await _client.RespondAsync(invocation.RequestId,
                ApiGatewayResponse.Problem(request.Format, StatusCodes.Status400BadRequest, "Unreadable body", unreadable), stopping).ConfigureAwait(false);
            return;
        }

        if (invocation.TraceId is not null && !request.Headers.ContainsKey(TraceHeader))
        {
            request.Headers[TraceHeader] = invocation.TraceId;
        }

        using var features = new InvocationFeatures(request, invocation.RequestId, deadline);
        var context = application.CreateContext(features.Collection);
        Exception? error = null;
        try
        {
            try
            {
                await application.ProcessRequestAsync(context).ConfigureAwait(false);
                await features.FinishAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = e;
            }

            // The pipeline turns a cancelled request into a 499; on Lambda that is the deadline passing.
            if (deadline.IsCancellationRequested)
            {
                throw new OperationCanceledException("the invocation deadline passed", error, deadline);
            }

            if (error is not null)
            {
                Log.RequestFailed(_logger, invocation.RequestId, error);
                features.Fail();
            }

            var response = ApiGatewayResponse.Write(request.Format, features.StatusCode, features.Headers, features.ResponseBody);
            if (response.Length > LambdaPayload.MaxBytes)
            {
                // Lambda would drop it and API Gateway answer a bare 502; say what happened instead.
                Log.ResponseTooLarge(_logger, invocation.RequestId, response.Length);
                response = ApiGatewayResponse.Problem(request.Format, StatusCodes.Status500InternalServerError, "Response too large",
                    $"the response is larger than the {LambdaPayload.MaxBytes} bytes one Lambda invocation can return");
            }

            await _client.RespondAsync(invocation.RequestId, response, stopping).ConfigureAwait(false);
            await features.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            application.DisposeContext(context, error);
        }
    }
}
