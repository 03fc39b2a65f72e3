using System.Text.Json;

namespace Mic.Core.Models;

/// <summary>
/// <c>models/latest.json</c>: which bundle is live, pinned by content. <see cref="Sha256"/> is the SHA-256 of that
/// bundle's model file and <see cref="ManifestSha256"/> of its manifest.json, so neither can change under a reader
/// (docs/serving.md, "Model store and hot swap"). Written last, in one PUT, so a reader never sees a half-published
/// bundle.
/// </summary>
public sealed record LatestPointer(string Version, string Sha256, string ManifestSha256)
{
    /// <summary>Reads and checks a pointer; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ModelBundleException">Not JSON, an unsafe version, or a hash missing or malformed.</exception>
    public static LatestPointer Parse(ReadOnlySpan<byte> json, string source)
    {
        LatestPointer? pointer;
        try
        {
            pointer = JsonSerializer.Deserialize(json, ModelJsonContext.Default.LatestPointer);
        }
        catch (JsonException e)
        {
            throw new ModelBundleException($"{source}: invalid JSON: {e.Message}", e);
        }

        if (pointer is null || string.IsNullOrEmpty(pointer.Version) || !ModelBundle.IsSafeName(pointer.Version))
        {
            throw new ModelBundleException($"{source}: version '{pointer?.Version}' is missing or not a safe name");
        }

        if (!IsSha256(pointer.Sha256))
        {
            throw new ModelBundleException($"{source}: sha256 must be the model's SHA-256 (64 hex digits)");
        }

        if (!IsSha256(pointer.ManifestSha256))
        {
            throw new ModelBundleException(
                $"{source}: manifestSha256 must be the manifest's SHA-256 (64 hex digits); a pointer written by an older MIC lacks it: " +
                $"run `mic-train rollback {pointer.Version}` to rewrite it");
        }

        return pointer;
    }

    private static bool IsSha256(string? value) => value is { Length: 64 } && value.All(Uri.IsHexDigit);
}
