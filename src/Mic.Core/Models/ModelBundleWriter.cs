using System.Security.Cryptography;
using System.Text.Json;

namespace Mic.Core.Models;

/// <summary>
/// Writes a model bundle from parts held in memory, and owns every file name a bundle has:
/// <code>
/// model.onnx      the ONNX model (the manifest's model.file; its sha256 and size are recorded there)
/// manifest.json   the <see cref="ModelManifest"/>, written last, so a folder with a manifest is a complete bundle
/// labels.txt      the manifest's labels, one a line (for people and other tools; MIC reads the manifest)
/// report.html     the training report, when there is one
/// </code>
/// <see cref="ModelBundle"/> reads what this writes (docs/architecture.md, "Model contract").
/// </summary>
public static class ModelBundleWriter
{
    public const string ModelFileName = "model.onnx";
    public const string ManifestFileName = "manifest.json";
    public const string LabelsFileName = "labels.txt";
    public const string ReportFileName = "report.html";

    /// <summary>The manifest's <c>model</c> entry for <paramref name="model"/>'s bytes, stored as <see cref="ModelFileName"/>.</summary>
    public static ModelFile Describe(ReadOnlySpan<byte> model, string precision) =>
        new(ModelFileName, Convert.ToHexStringLower(SHA256.HashData(model)), model.Length, precision);

    /// <summary>The manifest's JSON bytes, after checking it as a reader would.</summary>
    /// <exception cref="ModelBundleException">The manifest is invalid; <paramref name="source"/> names it.</exception>
    public static byte[] Serialize(ModelManifest manifest, string source)
    {
        ModelBundle.Validate(manifest, source);
        return JsonSerializer.SerializeToUtf8Bytes(manifest, ModelJsonContext.Default.ModelManifest);
    }

    /// <summary>
    /// Writes <paramref name="model"/>, the labels, <paramref name="reportHtml"/> (when given) and then the manifest into
    /// <paramref name="directory"/> (created if missing; files of the same names are replaced), and returns the bundle
    /// without reading it back: the manifest's <c>model</c> entry must already describe these bytes
    /// (<see cref="Describe"/>).
    /// </summary>
    /// <exception cref="ModelBundleException">The manifest is invalid or does not describe <paramref name="model"/>.</exception>
    public static ModelBundle Write(string directory, ReadOnlySpan<byte> model, ModelManifest manifest, string? reportHtml = null)
    {
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var json = Serialize(manifest, manifestPath);
        var expected = Describe(model, manifest.Model.Precision);
        if (manifest.Model.File != ModelFileName || !string.Equals(manifest.Model.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase)
            || manifest.Model.Bytes != expected.Bytes)
        {
            throw new ModelBundleException(
                $"{manifestPath}: model entry ({manifest.Model.File}, {manifest.Model.Sha256}, {manifest.Model.Bytes} bytes) does not describe " +
                $"the model written ({ModelFileName}, {expected.Sha256}, {expected.Bytes} bytes)");
        }

        Directory.CreateDirectory(directory);
        File.Delete(manifestPath); // until the new manifest is written, the folder is not a bundle
        using (var file = File.Create(Path.Combine(directory, ModelFileName)))
        {
            file.Write(model);
        }

        File.WriteAllLines(Path.Combine(directory, LabelsFileName), manifest.Labels);
        var reportPath = Path.Combine(directory, ReportFileName);
        if (reportHtml is not null)
        {
            File.WriteAllText(reportPath, reportHtml);
        }
        else
        {
            File.Delete(reportPath); // a report left from an earlier bundle here would describe another model
        }

        File.WriteAllBytes(manifestPath, json);
        return ModelBundle.Written(directory, manifest);
    }
}
