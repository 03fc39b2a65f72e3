using System.Text.Json;
using Mic.Core.Models;

namespace Mic.Core.Store;

/// <summary>
/// Publishes a verified local bundle to a store: the model, the report and the manifest under
/// <c>models/&lt;version&gt;/</c>, then <c>models/latest.json</c> last, in one PUT. A crash before that last PUT leaves
/// the previous model live; a reader never sees a half-published bundle.
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
        await PointLatestAsync(store, new LatestPointer(manifest.Version, manifest.Model.Sha256), cancellationToken)
            .ConfigureAwait(false);
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
