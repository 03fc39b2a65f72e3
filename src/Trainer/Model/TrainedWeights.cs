using Mic.Core.Models;
using Onnx;

namespace Mic.Trainer.Model;

/// <summary>
/// <c>--init-from</c>: start a run from a trained MIC bundle's weights instead of the pretrained backbone and a fresh
/// head — fast.ai's <c>learn.load</c> before fitting another cycle. The bundle must be an fp32 bundle this trainer
/// wrote for the same backbone and labels. Its image size may differ: the network pools globally, so a model trained
/// at one size can go on training at another (fast.ai's progressive resizing).
/// </summary>
public static class TrainedWeights
{
    /// <summary>
    /// Opens and checks the bundle <c>--init-from</c> names, before any data is read: a valid fp32 bundle, not the
    /// run's own output folder.
    /// </summary>
    /// <param name="bundlePath">The bundle folder, or its model.onnx.</param>
    /// <param name="outputDirectory">The run's output folder, which must not be the bundle's: the new bundle would overwrite it.</param>
    /// <exception cref="InvalidDataException">The bundle is int8 or is where the run writes.</exception>
    /// <exception cref="ModelBundleException">The folder is not a valid bundle (missing manifest, hash mismatch).</exception>
    public static ModelBundle Open(string bundlePath, string outputDirectory)
    {
        var directory = Path.GetFullPath(File.Exists(bundlePath) ? Path.GetDirectoryName(Path.GetFullPath(bundlePath))! : bundlePath);
        if (Path.TrimEndingDirectorySeparator(directory) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory)))
        {
            throw new InvalidDataException(
                $"--init-from {directory} is also the --output folder: the new bundle would overwrite the one it starts from; choose another --output");
        }

        var bundle = ModelBundle.Load(directory);
        if (bundle.Manifest.Model.Precision != "fp32")
        {
            throw new InvalidDataException(
                $"--init-from {directory}: its model is {bundle.Manifest.Model.Precision}, and only an fp32 bundle can be trained further; give the training output folder, not its int8 folder");
        }

        return bundle;
    }

    /// <summary>
    /// Replaces every initializer of <paramref name="graph"/> (a fresh <see cref="ClassifierGraph"/>) with the
    /// <paramref name="bundle"/>'s value of the same name.
    /// </summary>
    /// <param name="graph">Changed in place.</param>
    /// <param name="bundle">From <see cref="Open"/>.</param>
    /// <param name="labels">The data's labels, in order; the bundle's must be the same.</param>
    /// <exception cref="InvalidDataException">The bundle has other labels or was trained from another backbone.</exception>
    public static void Apply(ModelProto graph, ModelBundle bundle, IReadOnlyList<string> labels)
    {
        if (!bundle.Manifest.Labels.SequenceEqual(labels, StringComparer.Ordinal))
        {
            throw new InvalidDataException(
                $"--init-from {bundle.Directory}: its labels [{string.Join(", ", bundle.Manifest.Labels)}] are not the data's [{string.Join(", ", labels)}]");
        }

        var trained = ModelProto.Parser.ParseFrom(File.ReadAllBytes(bundle.ModelPath)).Graph.Initializer
            .ToDictionary(t => t.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < graph.Graph.Initializer.Count; i++)
        {
            var fresh = graph.Graph.Initializer[i];
            if (!trained.TryGetValue(fresh.Name, out var value))
            {
                problems.Add($"'{fresh.Name}' is missing");
            }
            else if (value.DataType != fresh.DataType || !value.Dims.SequenceEqual(fresh.Dims))
            {
                problems.Add($"'{fresh.Name}' is [{string.Join(", ", value.Dims)}], expected [{string.Join(", ", fresh.Dims)}]");
            }
            else
            {
                graph.Graph.Initializer[i] = value;
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException(
                $"--init-from {bundle.ModelPath}: not trained from this backbone ({problems.Count} weight(s) do not fit: {string.Join("; ", problems.Take(3))}{(problems.Count > 3 ? "; …" : "")})");
        }
    }
}
