using System.Text.Json;
using Mic.Core.Models;

namespace Mic.Core.Store;

/// <summary>
/// Publishes a verified local bundle to a store: the model, the report and the manifest under
/// <c>models/&lt;version&gt;/</c>; reads the stored copy back and verifies it; then writes <c>models/latest.json</c> last,
/// in one PUT. A crash or cancellation before that last PUT leaves the previous model live, so readers never see a
/// half-published bundle.
/// </summary>
public static class ModelPublisher
{
    public static async Task PublishAsync(IModelStore store, ModelBundle bundle, CancellationToken cancellationToken)
    {
        var manifest = bundle.Manifest;
        var prefix = ModelHost.VersionPrefix(manifest.Version);
        await UploadAsync(store, prefix + manifest.Model.File, bundle.ModelPath, "application/octet-stream", cancellationToken)
            .ConfigureAwait(false);

        var report = Path.Combine(bundle.Directory, ModelBundle.ReportFileName);
        if (File.Exists(report))
        {
            await UploadAsync(store, prefix + ModelBundle.ReportFileName, report, "text/html; charset=utf-8", cancellationToken)
                .ConfigureAwait(false);
        }

        await UploadAsync(store, prefix + ModelBundle.ManifestFileName, Path.Combine(bundle.Directory, ModelBundle.ManifestFileName),
            "application/json", cancellationToken).ConfigureAwait(false);
        await VerifyStoredAsync(store, manifest.Version, cancellationToken).ConfigureAwait(false);
        await PointLatestAsync(store, new LatestPointer(manifest.Version, manifest.Model.Sha256), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Makes an already published version live again, after verifying its stored bundle.</summary>
    /// <exception cref="ModelBundleException">The version is missing or its stored bundle is damaged.</exception>
    public static async Task RollbackAsync(IModelStore store, string version, CancellationToken cancellationToken)
    {
        var manifest = await VerifyStoredAsync(store, version, cancellationToken).ConfigureAwait(false);
        await PointLatestAsync(store, new LatestPointer(manifest.Version, manifest.Model.Sha256), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Downloads <c>models/&lt;version&gt;/</c> into a temporary folder and checks it as the function would.</summary>
    public static async Task<ModelManifest> VerifyStoredAsync(IModelStore store, string version, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "mic-verify-" + Guid.NewGuid().ToString("N"));
        try
        {
            return (await StoredBundle.DownloadAsync(store, version, scratch, null, cancellationToken).ConfigureAwait(false)).Manifest;
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
        await store.WriteAsync(ModelHost.LatestKey, content, "application/json", cancellationToken).ConfigureAwait(false);
    }

    private static async Task UploadAsync(IModelStore store, string key, string path, string contentType, CancellationToken cancellationToken)
    {
        await using var content = File.OpenRead(path);
        await store.WriteAsync(key, content, contentType, cancellationToken).ConfigureAwait(false);
    }
}
