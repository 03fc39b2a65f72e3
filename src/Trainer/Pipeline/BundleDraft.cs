using Google.Protobuf;
using Mic.Core.Models;
using Mic.Trainer.Export;
using Onnx;

namespace Mic.Trainer.Pipeline;

/// <summary>
/// A bundle being built, in memory: the ONNX model, its manifest, its evaluation and report. Steps replace the
/// manifest as they learn more (metrics, quantization); <see cref="Steps.WriteBundleStep"/> writes it once with
/// <see cref="ModelBundleWriter"/> and records where in <see cref="Written"/>. The model is serialized (or parsed) at
/// most once; treat <see cref="Model"/> and <see cref="ModelBytes"/> as read-only. Not thread-safe.
/// </summary>
public sealed class BundleDraft
{
    private readonly Lazy<ModelProto> _model;
    private readonly Lazy<byte[]> _bytes;
    private ModelManifest _manifest;

    /// <param name="model">The model; not copied.</param>
    /// <param name="manifest">Its manifest; the <c>model</c> entry is replaced by the description of the model's bytes (give <see cref="Pending"/>).</param>
    public BundleDraft(ModelProto model, ModelManifest manifest)
    {
        _model = new(model);
        _bytes = new(model.ToByteArray);
        _manifest = manifest with { Model = ModelBundleWriter.Describe(_bytes.Value, manifest.Model.Precision) };
    }

    private BundleDraft(ModelBundle bundle)
    {
        _bytes = new(() => File.ReadAllBytes(bundle.ModelPath));
        _model = new(() => ModelProto.Parser.ParseFrom(_bytes.Value));
        _manifest = bundle.Manifest;
        Written = bundle;
    }

    public ModelProto Model => _model.Value;

    public byte[] ModelBytes => _bytes.Value;

    /// <summary>The manifest to write; its <c>model</c> entry always describes <see cref="ModelBytes"/>.</summary>
    public ModelManifest Manifest
    {
        get => _manifest;
        set => _manifest = value.Model == _manifest.Model
            ? value
            : throw new ArgumentException("the manifest's model entry must stay the draft's own", nameof(value));
    }

    public string Precision => _manifest.Model.Precision;

    /// <summary>This model's answers on the validation split; null until evaluated.</summary>
    public Evaluation? Evaluation { get; set; }

    /// <summary>The training report (report.html) to write with the bundle, if any.</summary>
    public string? ReportHtml { get; set; }

    /// <summary>Where the bundle was written (or read from); null while it exists only in memory.</summary>
    public ModelBundle? Written { get; set; }

    /// <summary>A placeholder model entry for a new draft's manifest: the constructor fills in file, hash and size.</summary>
    public static ModelFile Pending(string precision) => new(ModelBundleWriter.ModelFileName, new string('0', 64), 0, precision);

    /// <summary>A bundle already on disk, as a draft: its model is read only if a step asks for it.</summary>
    public static BundleDraft FromBundle(ModelBundle bundle) => new(bundle);
}
