using Google.Protobuf;
using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Quantization;
using Mic.Trainer.Data;
using Mic.Trainer.Export;
using Onnx;

namespace Mic.Trainer.Packaging;

/// <summary>
/// fp32 bundle → int8 QDQ bundle: calibrate on training images, quantize, evaluate fp32 and int8 on the validation
/// split with Mic.Core's <see cref="OnnxClassifier"/> (the function's own code), record both in the manifest, and
/// apply the gate. The int8 bundle is written next to the fp32 one; publishing is the caller's decision.
/// </summary>
public static class ModelPackager
{
    public static PackagingOutcome Package(ModelBundle fp32, ImageSet calibrationSource, ImageSet validation, string outputDirectory,
        PackagingOptions options, CancellationToken cancellationToken, Evaluation? fp32Evaluation = null)
    {
        var calibration = new CalibrationData(fp32.Manifest.Input.Height, fp32.Manifest.Input.Width,
            EvenlySpaced(calibrationSource.Count, options.CalibrationImages).Select(i => (ReadOnlyMemory<byte>)calibrationSource.Sample(i)));
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(fp32.ModelPath));
        var quantized = QdqQuantizer.Quantize(model, calibration, new QuantizationOptions { Method = options.Method });
        cancellationToken.ThrowIfCancellationRequested();

        Directory.CreateDirectory(outputDirectory);
        var modelPath = Path.Combine(outputDirectory, BundleWriter.ModelFileName);
        File.WriteAllBytes(modelPath, quantized.Model.ToByteArray());
        var report = Path.Combine(fp32.Directory, ModelBundle.ReportFileName);
        if (File.Exists(report))
        {
            File.Copy(report, Path.Combine(outputDirectory, ModelBundle.ReportFileName), overwrite: true);
        }

        var manifest = fp32.Manifest with
        {
            Model = new ModelFile(BundleWriter.ModelFileName, ModelBundle.ComputeSha256(modelPath), new FileInfo(modelPath).Length, "int8"),
            Quantization = new QuantizationInfo($"static QDQ int8 ({quantized.Report.Method})", calibration.Count),
        };
        BundleWriter.WriteManifest(outputDirectory, manifest);

        // The trainer already evaluated the fp32 bundle on this split through the same classifier; reuse that.
        fp32Evaluation ??= Evaluate(fp32, validation, cancellationToken);
        var int8Evaluation = Evaluate(ModelBundle.Load(outputDirectory), validation, cancellationToken);
        manifest = manifest with { Metrics = int8Evaluation.ToMetrics() with { AccuracyFp32 = fp32Evaluation.Accuracy } };
        BundleWriter.WriteManifest(outputDirectory, manifest);

        var gate = GateDecision.Check(int8Evaluation.Accuracy, fp32Evaluation.Accuracy, options.MaxAccuracyDropPoints, options.MinAccuracy);
        return new PackagingOutcome(ModelBundle.Load(outputDirectory), fp32Evaluation, int8Evaluation, quantized.Report, gate);
    }

    public static Evaluation Evaluate(ModelBundle bundle, ImageSet set, CancellationToken cancellationToken)
    {
        using var classifier = OnnxClassifier.Load(bundle);
        return BundleWriter.Evaluate(classifier, set, cancellationToken);
    }

    /// <summary><paramref name="count"/> indices spread evenly over <paramref name="total"/> (every class shows up).</summary>
    internal static IEnumerable<int> EvenlySpaced(int total, int count)
    {
        var n = Math.Min(total, count);
        return Enumerable.Range(0, n).Select(i => (int)((long)i * total / n));
    }
}
