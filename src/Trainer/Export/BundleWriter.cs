using System.Text.Json;
using Google.Protobuf;
using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Trainer.Data;
using Onnx;

namespace Mic.Trainer.Export;

/// <summary>
/// Writes a model bundle Mic.Core can load (<c>model.onnx</c> fp32 + <c>manifest.json</c>, plus <c>labels.txt</c>),
/// then evaluates it on the validation split through <see cref="OnnxClassifier"/> and records the metrics. With
/// <c>flipTta</c> the model written is <see cref="TestTimeFlip"/>'s wrapper of the one given.
/// </summary>
public static class BundleWriter
{
    public const string ModelFileName = "model.onnx";
    public const string LabelsFileName = "labels.txt";

    public static (ModelBundle Bundle, Evaluation Evaluation) Write(string directory, ModelProto model, string version,
        IReadOnlyList<string> labels, ModelInput input, ImageSet validation, TrainingInfo training, CancellationToken cancellationToken,
        bool flipTta = false)
    {
        // The manifest's testTimeAugmentation and the model file are set in one place, so they cannot disagree.
        if (flipTta)
        {
            model = TestTimeFlip.Apply(model, labels.Count);
        }

        Directory.CreateDirectory(directory);
        var modelPath = Path.Combine(directory, ModelFileName);
        var bytes = model.ToByteArray();
        File.WriteAllBytes(modelPath, bytes);
        File.WriteAllLines(Path.Combine(directory, LabelsFileName), labels);
        var manifest = new ModelManifest
        {
            Version = version,
            CreatedAt = DateTimeOffset.UtcNow,
            Labels = labels,
            Input = input,
            Model = new ModelFile(ModelFileName, ModelBundle.ComputeSha256(modelPath), bytes.Length, "fp32"),
            Training = training,
            TestTimeAugmentation = flipTta ? TestTimeFlip.Name : null,
        };
        WriteManifest(directory, manifest);

        var bundle = ModelBundle.Load(directory);
        Evaluation evaluation;
        using (var classifier = OnnxClassifier.Load(bundle))
        {
            evaluation = Evaluate(classifier, validation, cancellationToken);
        }

        WriteManifest(directory, manifest with { Metrics = evaluation.ToMetrics() });
        return (ModelBundle.Load(directory), evaluation);
    }

    /// <summary>Runs every validation image through the served classifier, in batches.</summary>
    public static Evaluation Evaluate(OnnxClassifier classifier, ImageSet set, CancellationToken cancellationToken)
    {
        const int Batch = 64;
        var classes = classifier.LabelCount;
        var probabilities = new float[set.Count * classes];
        for (var start = 0; start < set.Count; start += Batch)
        {
            var count = Math.Min(Batch, set.Count - start);
            var output = classifier.Run(set.Pixels.AsMemory(start * set.SampleBytes, count * set.SampleBytes), count, cancellationToken);
            output.CopyTo(probabilities, start * classes);
        }

        return new Evaluation(set.Labels, set.Targets, probabilities);
    }

    internal static void WriteManifest(string directory, ModelManifest manifest)
    {
        ModelBundle.Validate(manifest, Path.Combine(directory, ModelBundle.ManifestFileName));
        File.WriteAllBytes(Path.Combine(directory, ModelBundle.ManifestFileName),
            JsonSerializer.SerializeToUtf8Bytes(manifest, ModelJsonContext.Default.ModelManifest));
    }
}
