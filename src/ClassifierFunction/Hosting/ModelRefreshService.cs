using Mic.ClassifierFunction.Configuration;
using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Store;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Hosting;

/// <summary>
/// Loads the published model before the server starts taking requests, then polls the store for newer ones. The
/// decoder is warmed up on another thread meanwhile, so the first request runs no libvips start-up.
/// </summary>
internal sealed class ModelRefreshService(ModelHost host, ImageClassifier classifier, IOptions<ClassifierFunctionOptions> options)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var warmUp = Task.Run(() => DecoderWarmUp.Run(classifier.Decoder, cancellationToken), cancellationToken);
        await host.TryRefreshAsync(cancellationToken).ConfigureAwait(false);
        await warmUp.ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        host.RunAsync(TimeSpan.FromSeconds(options.Value.PollIntervalSeconds), stoppingToken);
}
