using System.Text.Json;
using Mic.Core.Models;

namespace Mic.Core.Store;

/// <summary>
/// Publishes a verified local bundle to a store: the model, the report and the manifest under
/// <c>models/&lt;version&gt;/</c>, each created only if absent (a published version is never overwritten); reads the
/// stored copy back and verifies it; then writes <c>models/latest.json</c> last, in one PUT, pinning the model's and the
/// manifest's sha256. A crash or cancellation before that last PUT leaves the previous model live, so readers never see
/// a half-published bundle.
/// </summary>
public static class ModelPublisher
{
    /// <exception cref="ModelBundleException">The version already exists in the store (or part of it does).</exception>
    public static async Task PublishAsync(IModelStore store, ModelBundle bundle, CancellationToken cancellationToken)
    {
        var manifest = bundle.Manifest;
        await CreateAsync(store, StoreLayout.BundleKey(manifest.Version, manifest.Model.File), bundle.ModelPath, "application/octet-stream", cancellationToken)
            .ConfigureAwait(false);

        var report = Path.Combine(bundle.Directory, ModelBundleWriter.ReportFileName);
        if (File.Exists(report))
        {
            await CreateAsync(store, StoreLayout.BundleKey(manifest.Version, ModelBundleWriter.ReportFileName), report, "text/html; charset=utf-8", cancellationToken)
                .ConfigureAwait(false);
        }

        await CreateAsync(store, StoreLayout.BundleKey(manifest.Version, ModelBundleWriter.ManifestFileName), Path.Combine(bundle.Directory, ModelBundleWriter.ManifestFileName),
            "application/json", cancellationToken).ConfigureAwait(false);
        await PointLatestAsync(store, await VerifyStoredAsync(store, manifest.Version, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes an already published version live again, after verifying its stored bundle.</summary>
    /// <exception cref="ModelBundleException">The version is missing or its stored bundle is damaged.</exception>
    public static async Task RollbackAsync(IModelStore store, string version, CancellationToken cancellationToken) =>
        await PointLatestAsync(store, await VerifyStoredAsync(store, version, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Downloads <c>models/&lt;version&gt;/</c> into a temporary folder, checks it as the function would, and returns the
    /// pointer that makes exactly these bytes live.
    /// </summary>
    /// <exception cref="ModelBundleException">Missing or damaged; the message names the object.</exception>
    public static async Task<LatestPointer> VerifyStoredAsync(IModelStore store, string version, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "mic-verify-" + Guid.NewGuid().ToString("N"));
        try
        {
            var bundle = await StoredBundle.DownloadAsync(store, version, scratch, null, cancellationToken).ConfigureAwait(false);
            return new LatestPointer(bundle.Manifest.Version, bundle.Manifest.Model.Sha256,
                ModelBundle.ComputeSha256(Path.Combine(bundle.Directory, ModelBundleWriter.ManifestFileName)));
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>Writes <c>models/latest.json</c> in one PUT.</summary>
    public static async Task PointLatestAsync(IModelStore store, LatestPointer pointer, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(pointer, ModelJsonContext.Default.LatestPointer));
        await store.WriteAsync(StoreLayout.LatestKey, content, "application/json", cancellationToken).ConfigureAwait(false);
    }

    private static async Task CreateAsync(IModelStore store, string key, string path, string contentType, CancellationToken cancellationToken)
    {
        await using var content = File.OpenRead(path);
        if (!await store.TryCreateAsync(key, content, contentType, cancellationToken).ConfigureAwait(false))
        {
            throw new ModelBundleException(
                $"{store.Location}/{key} already exists: a published version is never overwritten; publish under a new version");
        }
    }
}
