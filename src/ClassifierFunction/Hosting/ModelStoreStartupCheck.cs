using Mic.Core.Store;

namespace Mic.ClassifierFunction.Hosting;

/// <summary>
/// On Lambda, fails the start-up when the model store cannot be read, so Lambda reports it (<c>init/error</c>) and
/// retries the cold start, instead of an instance that answers 503 until its next poll. Runs after
/// <see cref="ModelRefreshService"/>'s first attempt and only repeats it when that loaded nothing. A store that is
/// readable but has no model published yet is not a failure: the function answers 503 until one is published.
/// </summary>
internal sealed class ModelStoreStartupCheck(ModelHost host) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (host.Manifest is null)
        {
            try
            {
                await host.RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException($"the model store {host.Store.Location} cannot be read: {e.Message}", e);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
