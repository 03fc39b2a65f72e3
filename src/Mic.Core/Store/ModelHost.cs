using Mic.Core.Inference;
using Mic.Core.Internal;
using Mic.Core.Models;
using Microsoft.Extensions.Logging;

namespace Mic.Core.Store;

/// <summary>
/// Serves the model that the store's <see cref="StoreLayout.LatestKey"/> points at, and swaps to a newer one without
/// failing any request: a request holds a <see cref="ModelLease"/>, and the old session is disposed only after its last
/// lease ends. A broken or changed bundle (hashes other than latest.json pins) is refused and the current model keeps
/// serving. Thread-safe.
/// </summary>
public sealed class ModelHost(IModelStore store, ModelHostOptions options, ILogger<ModelHost> logger) : IDisposable
{
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private LoadedModel? _current;
    private string? _latestETag;

    public IModelStore Store => store;

    /// <summary>The manifest of the model being served, or <see langword="null"/> before one is loaded.</summary>
    public ModelManifest? Manifest => Volatile.Read(ref _current)?.Classifier.Manifest;

    /// <summary>A lease on the current model, or <see langword="null"/> when none is loaded yet.</summary>
    public ModelLease? TryAcquire()
    {
        while (true)
        {
            var model = Volatile.Read(ref _current);
            if (model is null)
            {
                return null;
            }

            if (model.TryAddReference())
            {
                return new ModelLease(model);
            }

            // Swapped out and released between the read and the add; the next read sees its successor.
        }
    }

    /// <summary>
    /// Checks <c>latest.json</c> (conditional on its ETag) and loads the bundle it names if that is new.
    /// Store errors (network, permissions) propagate and the check is retried on the next call.
    /// </summary>
    public async Task<ModelRefreshOutcome> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RefreshLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    /// <summary>Refreshes every <paramref name="interval"/> until cancelled; failures are logged, never thrown.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await TryRefreshAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Like <see cref="RefreshAsync"/>, but logs store errors instead of throwing them.</summary>
    public async Task<ModelRefreshOutcome?> TryRefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.StoreUnreachable(logger, store.Location, e);
            return null;
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _current, null)?.Release();
        _refreshLock.Dispose();
    }

    private async Task<ModelRefreshOutcome> RefreshLockedAsync(CancellationToken cancellationToken)
    {
        var latest = await store.ReadAsync(StoreLayout.LatestKey, _latestETag, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            if (_current is null)
            {
                Log.NoModelPublished(logger, store.Location);
                return ModelRefreshOutcome.NoModel;
            }

            return ModelRefreshOutcome.Unchanged;
        }

        if (latest.IsNotModified)
        {
            return ModelRefreshOutcome.Unchanged;
        }

        LatestPointer pointer;
        try
        {
            pointer = LatestPointer.Parse(latest.Content, $"{store.Location}/{StoreLayout.LatestKey}");
        }
        catch (ModelBundleException e)
        {
            _latestETag = latest.ETag;
            Log.ModelRefused(logger, "?", e.Message, e);
            return ModelRefreshOutcome.Refused;
        }

        var current = _current?.Classifier.Manifest;
        if (current is not null && current.Version == pointer.Version
            && string.Equals(current.Model.Sha256, pointer.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            _latestETag = latest.ETag;
            return ModelRefreshOutcome.Unchanged;
        }

        OnnxClassifier classifier;
        try
        {
            var bundle = await FetchAsync(pointer, cancellationToken).ConfigureAwait(false);
            classifier = OnnxClassifier.Load(bundle, options.Classifier);
        }
        catch (ModelBundleException e)
        {
            _latestETag = latest.ETag;
            Log.ModelRefused(logger, pointer.Version, e.Message, e);
            return ModelRefreshOutcome.Refused;
        }

        var previous = Interlocked.Exchange(ref _current, new LoadedModel(classifier));
        previous?.Release();
        _latestETag = latest.ETag;
        Log.ModelLoaded(logger, pointer.Version, store.Location, previous?.Classifier.Manifest.Version);
        return ModelRefreshOutcome.Loaded;
    }

    /// <summary>Downloads the bundle into the cache (unless a verified copy is there) and returns it verified.</summary>
    private async Task<ModelBundle> FetchAsync(LatestPointer pointer, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(options.CacheDirectory, pointer.Version);
        if (Directory.Exists(directory))
        {
            try
            {
                var cached = ModelBundle.Load(directory, pointer.Sha256);
                if (StoredBundle.IsPinned(cached, pointer))
                {
                    return cached;
                }
            }
            catch (ModelBundleException)
            {
                // Damaged: fetched again below.
            }

            Directory.Delete(directory, recursive: true); // stale or damaged copy: fetch it again
        }

        var staging = Path.Combine(options.CacheDirectory, $".{pointer.Version}.{Guid.NewGuid():N}");
        try
        {
            var bundle = await StoredBundle.DownloadAsync(store, pointer.Version, staging, pointer, cancellationToken).ConfigureAwait(false);
            Directory.Move(staging, directory);
            return bundle.MovedTo(directory);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
