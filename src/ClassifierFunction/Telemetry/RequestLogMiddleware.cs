using System.Diagnostics;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Telemetry;

/// <summary>Logs every HTTP request as one <see cref="RequestLog"/> line once its response is final.</summary>
internal sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log, ModelHost host)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context).ConfigureAwait(false);
            status = context.Response.StatusCode;
        }
        finally
        {
            var route = context.GetEndpoint() is RouteEndpoint endpoint ? endpoint.RoutePattern.RawText : null;
            log.Write(new RequestLogEntry(
                route is null ? "unmatched" : $"{context.Request.Method} {route}",
                context.RequestAborted.IsCancellationRequested ? RequestOutcomes.Cancelled : RequestOutcomes.FromStatus(status),
                Stopwatch.GetElapsedTime(start).TotalMilliseconds)
            {
                RequestId = context.TraceIdentifier,
                TraceId = context.Request.Headers["X-Amzn-Trace-Id"].FirstOrDefault(),
                Target = context.Request.PathBase + context.Request.Path,
                Status = status,
                ModelVersion = host.Manifest?.Version,
            });
        }
    }
}
