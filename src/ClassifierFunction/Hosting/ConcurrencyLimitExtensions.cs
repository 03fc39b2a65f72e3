using System.Globalization;
using System.Threading.RateLimiting;
using Mic.ClassifierFunction.Configuration;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Hosting;

internal static class ConcurrencyLimitExtensions
{
    /// <summary>
    /// Limits concurrent <c>POST /classify</c> and <c>POST /feedback</c> requests (both classify) per <see cref="ConcurrencyLimitOptions"/>, with a queue, then
    /// 503 + <c>Retry-After</c> as problem details. Other endpoints (health, model, page) are never limited. The
    /// middleware is added in front of the app's pipeline by a startup filter.
    /// </summary>
    public static IServiceCollection AddClassifyConcurrencyLimit(this IServiceCollection services)
    {
        services.AddOptions<ConcurrencyLimitOptions>()
            .BindConfiguration(ConcurrencyLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ConcurrencyLimitOptions>>((limiter, options) =>
        {
            var limits = options.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsClassify(context.Request)
                    ? RateLimitPartition.GetConcurrencyLimiter("classify", _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = limits.MaxConcurrentRequests,
                        QueueLimit = limits.QueueLimit,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    })
                    : RateLimitPartition.GetNoLimiter("unlimited"));
            limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            limiter.OnRejected = (rejected, _) =>
            {
                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = limits.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(TypedResults.Problem(
                    detail: $"{limits.MaxConcurrentRequests} classifications are running and {limits.QueueLimit} are waiting; retry in {limits.RetryAfterSeconds} s",
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Busy").ExecuteAsync(rejected.HttpContext));
            };
        });
        services.AddTransient<IStartupFilter, ConcurrencyLimitStartupFilter>();
        return services;
    }

    private static bool IsClassify(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.StartsWithSegments("/classify", StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments("/feedback", StringComparison.OrdinalIgnoreCase)); // classifies too
}
