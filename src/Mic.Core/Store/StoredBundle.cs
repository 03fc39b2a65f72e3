using System.Security.Cryptography;
using Mic.Core.Models;

namespace Mic.Core.Store;

/// <summary>Copies one published version out of a store into a local folder and verifies it.</summary>
public static class StoredBundle
{
    /// <summary>
    /// Downloads <c>models/&lt;version&gt;/</c> (manifest, then the model it names) into <paramref name="directory"/>
    /// and loads it with <see cref="ModelBundle.Load"/>, so the model's sha256 is checked against the manifest. With
    /// <paramref name="pinned"/> (the live <c>latest.json</c>) the manifest's bytes and the model must also hash to
    /// what it pins: a manifest or model changed after publishing is refused.
    /// </summary>
    /// <exception cref="ModelBundleException">Missing, invalid, damaged or changed; the message names the object.</exception>
    public static async Task<ModelBundle> DownloadAsync(IModelStore store, string version, string directory,
        LatestPointer? pinned, CancellationToken cancellationToken)
    {
        if (!ModelBundle.IsSafeName(version))
        {
            throw new ModelBundleException($"'{version}' is not a valid model version");
        }

        var prefix = StoreLayout.VersionPrefix(version);
        var manifestKey = StoreLayout.BundleKey(version, ModelBundleWriter.ManifestFileName);
        var stored = await store.ReadAsync(manifestKey, null, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelBundleException($"{store.Location}/{manifestKey}: missing (no such published version)");
        if (pinned is not null && !Matches(stored.Content, pinned.ManifestSha256))
        {
            throw new ModelBundleException(
                $"{store.Location}/{manifestKey}: sha256 mismatch ({StoreLayout.LatestKey} pins {pinned.ManifestSha256}, " +
                $"the stored manifest is {Convert.ToHexStringLower(SHA256.HashData(stored.Content))}): it changed after publishing");
        }

        var manifest = ModelBundle.ParseManifest(stored.Content, $"{store.Location}/{manifestKey}");
        if (manifest.Version != version)
        {
            throw new ModelBundleException(
                $"{store.Location}/{manifestKey}: manifest version '{manifest.Version}' differs from the folder's '{version}'");
        }

        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, ModelBundleWriter.ManifestFileName), stored.Content, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            await store.DownloadAsync(StoreLayout.BundleKey(version, manifest.Model.File), Path.Combine(directory, manifest.Model.File), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new ModelBundleException($"{store.Location}/{prefix}{manifest.Model.File}: missing", e);
        }

        return ModelBundle.Load(directory, pinned?.Sha256);
    }

    /// <summary>True when a loaded <paramref name="bundle"/> is exactly the one <paramref name="pinned"/> names, manifest bytes included.</summary>
    public static bool IsPinned(ModelBundle bundle, LatestPointer pinned) =>
        bundle.Manifest.Version == pinned.Version
        && string.Equals(bundle.Manifest.Model.Sha256, pinned.Sha256, StringComparison.OrdinalIgnoreCase)
        && Matches(File.ReadAllBytes(Path.Combine(bundle.Directory, ModelBundleWriter.ManifestFileName)), pinned.ManifestSha256);

    private static bool Matches(ReadOnlySpan<byte> content, string sha256) =>
        string.Equals(Convert.ToHexStringLower(SHA256.HashData(content)), sha256, StringComparison.OrdinalIgnoreCase);
}
