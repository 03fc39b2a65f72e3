using Mic.Core.Models;

namespace Mic.Core.Store;

/// <summary>Copies one published version out of a store into a local folder and verifies it.</summary>
public static class StoredBundle
{
    /// <summary>
    /// Downloads <c>models/&lt;version&gt;/</c> (manifest, then the model it names) into <paramref name="directory"/>
    /// and loads it with <see cref="ModelBundle.Load"/>, so the sha256 and the manifest are checked.
    /// </summary>
    /// <exception cref="ModelBundleException">Missing, invalid or damaged; the message names the object.</exception>
    public static async Task<ModelBundle> DownloadAsync(IModelStore store, string version, string directory,
        string? expectedSha256, CancellationToken cancellationToken)
    {
        if (!ModelBundle.IsSafeName(version))
        {
            throw new ModelBundleException($"'{version}' is not a valid model version");
        }

        var prefix = ModelHost.VersionPrefix(version);
        var manifestKey = prefix + ModelBundle.ManifestFileName;
        var stored = await store.ReadAsync(manifestKey, null, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelBundleException($"{store.Location}/{manifestKey}: missing (no such published version)");
        var manifest = ModelBundle.ParseManifest(stored.Content, $"{store.Location}/{manifestKey}");
        if (manifest.Version != version)
        {
            throw new ModelBundleException(
                $"{store.Location}/{manifestKey}: manifest version '{manifest.Version}' differs from the folder's '{version}'");
        }

        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, ModelBundle.ManifestFileName), stored.Content, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            await store.DownloadAsync(prefix + manifest.Model.File, Path.Combine(directory, manifest.Model.File), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new ModelBundleException($"{store.Location}/{prefix}{manifest.Model.File}: missing", e);
        }

        return ModelBundle.Load(directory, expectedSha256);
    }
}
