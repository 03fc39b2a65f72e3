using System.Security.Cryptography;
using System.Text.Json;

namespace Mic.Core.Models;

/// <summary>
/// A model bundle on local disk: <c>manifest.json</c> plus the ONNX file it names, checked against each other.
/// Immutable; holds no open handles. <see cref="ModelBundleWriter"/> writes bundles and owns their file names.
/// </summary>
public sealed class ModelBundle
{
    private ModelBundle(string directory, ModelManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
        ModelPath = Path.Combine(directory, manifest.Model.File);
    }

    public string Directory { get; }

    /// <summary>
    /// The same verified bundle after its folder was moved (renamed) to <paramref name="directory"/>: the files are the
    /// ones already checked, so they are not hashed again.
    /// </summary>
    public ModelBundle MovedTo(string directory) => new(directory, Manifest);

    /// <summary>The bundle <see cref="ModelBundleWriter"/> has just written and checked, without reading it back.</summary>
    internal static ModelBundle Written(string directory, ModelManifest manifest) => new(directory, manifest);

    public ModelManifest Manifest { get; }

    public string ModelPath { get; }

    /// <summary>
    /// Reads and validates the bundle in <paramref name="directory"/>. When <paramref name="expectedSha256"/> is given
    /// (from <c>latest.json</c>) the model file must hash to it as well as to the manifest's value.
    /// </summary>
    /// <exception cref="ModelBundleException">The message names the file and what is wrong with it.</exception>
    public static ModelBundle Load(string directory, string? expectedSha256 = null)
    {
        var manifestPath = Path.Combine(directory, ModelBundleWriter.ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelBundleException($"{manifestPath}: missing (a bundle needs {ModelBundleWriter.ManifestFileName} next to its model)");
        }

        var manifest = ParseManifest(File.ReadAllBytes(manifestPath), manifestPath);
        var bundle = new ModelBundle(directory, manifest);
        if (!File.Exists(bundle.ModelPath))
        {
            throw new ModelBundleException($"{bundle.ModelPath}: model file named by the manifest is missing");
        }

        var actual = ComputeSha256(bundle.ModelPath);
        if (!string.Equals(actual, manifest.Model.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelBundleException(
                $"{bundle.ModelPath}: sha256 mismatch (manifest says {manifest.Model.Sha256}, file is {actual})");
        }

        if (expectedSha256 is not null && !string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelBundleException(
                $"{bundle.ModelPath}: sha256 mismatch (latest.json says {expectedSha256}, file is {actual})");
        }

        return bundle;
    }

    /// <summary>Parses and validates a manifest; <paramref name="source"/> names it in error messages.</summary>
    public static ModelManifest ParseManifest(ReadOnlySpan<byte> json, string source)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, ModelJsonContext.Default.ModelManifest);
        }
        catch (JsonException e)
        {
            throw new ModelBundleException($"{source}: invalid manifest JSON: {e.Message}", e);
        }

        if (manifest is null)
        {
            throw new ModelBundleException($"{source}: manifest is empty");
        }

        Validate(manifest, source);
        return manifest;
    }

    public static void Validate(ModelManifest manifest, string source)
    {
        static ModelBundleException Invalid(string source, string why) => new($"{source}: invalid manifest: {why}");

        if (manifest.SchemaVersion != ModelManifest.CurrentSchemaVersion)
        {
            throw Invalid(source, $"schemaVersion {manifest.SchemaVersion} is not supported (this build reads {ModelManifest.CurrentSchemaVersion})");
        }

        if (string.IsNullOrWhiteSpace(manifest.Version) || !IsSafeName(manifest.Version))
        {
            throw Invalid(source, $"version '{manifest.Version}' must be non-empty and use only letters, digits, '.', '-' and '_'");
        }

        if (manifest.Labels is null || manifest.Labels.Count < 2)
        {
            throw Invalid(source, "labels must name at least two classes");
        }

        if (manifest.Labels.Any(string.IsNullOrWhiteSpace) || manifest.Labels.Distinct(StringComparer.Ordinal).Count() != manifest.Labels.Count)
        {
            throw Invalid(source, "labels must be non-empty and unique");
        }

        if (manifest.Input is null || manifest.Input.Width is < 1 or > 4096 || manifest.Input.Height is < 1 or > 4096)
        {
            throw Invalid(source, "input.width and input.height must be between 1 and 4096");
        }

        if (manifest.Model is null || string.IsNullOrEmpty(manifest.Model.File) || !IsSafeName(manifest.Model.File))
        {
            throw Invalid(source, "model.file must be a plain file name inside the bundle");
        }

        if (manifest.Model.Sha256 is not { Length: 64 } sha || !sha.All(Uri.IsHexDigit))
        {
            throw Invalid(source, "model.sha256 must be 64 hex digits");
        }
    }

    /// <summary>Lowercase hex SHA-256 of a file.</summary>
    public static string ComputeSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>True for names that are safe as one path segment or object-key segment.</summary>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 128
        && name is not "." and not ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
