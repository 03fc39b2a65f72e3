namespace Mic.ClassifierFunction.Hosting;

/// <summary>Puts the concurrency limiter first in the pipeline, before anything reads a request body.</summary>
internal sealed class ConcurrencyLimitStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseRateLimiter();
        next(app);
    };
}
