using Mic.ClassifierFunction.Configuration;
using Mic.Core.Store;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Hosting;

/// <summary>
/// Loads the published model before the server starts taking requests, then polls the store for newer ones.
/// </summary>
internal sealed class ModelRefreshService(ModelHost host, IOptions<ClassifierFunctionOptions> options) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await host.TryRefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        host.RunAsync(TimeSpan.FromSeconds(options.Value.PollIntervalSeconds), stoppingToken);
}
