using Mic.Core.Models;

namespace Mic.Core.Store;

/// <summary>Reads what a model store holds: every published version and which one is live.</summary>
public static class ModelCatalog
{
    /// <summary>Versions with a readable manifest, newest first. Damaged manifests are skipped.</summary>
    public static async Task<IReadOnlyList<PublishedModel>> ListAsync(IModelStore store, CancellationToken cancellationToken)
    {
        var latest = await ReadLatestAsync(store, cancellationToken).ConfigureAwait(false);
        var models = new List<PublishedModel>();
        foreach (var key in await store.ListAsync(StoreLayout.ModelsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (!key.EndsWith("/" + ModelBundleWriter.ManifestFileName, StringComparison.Ordinal))
            {
                continue;
            }

            var stored = await store.ReadAsync(key, null, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                continue;
            }

            ModelManifest manifest;
            try
            {
                manifest = ModelBundle.ParseManifest(stored.Content, key);
            }
            catch (ModelBundleException)
            {
                continue;
            }

            models.Add(new PublishedModel(manifest.Version, manifest.CreatedAt, manifest.Metrics?.Accuracy, manifest.Model.Precision,
                latest?.Version == manifest.Version));
        }

        return models.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Version, StringComparer.Ordinal).ToList();
    }

    /// <summary>The live pointer, or null when nothing is published or it is unreadable.</summary>
    public static async Task<LatestPointer?> ReadLatestAsync(IModelStore store, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync(StoreLayout.LatestKey, null, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        try
        {
            return LatestPointer.Parse(stored.Content, StoreLayout.LatestKey);
        }
        catch (ModelBundleException)
        {
            return null;
        }
    }
}
