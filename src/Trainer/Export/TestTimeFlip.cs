using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Quantization.Onnx;
using Onnx;
using static Mic.Quantization.Onnx.OnnxNodes;

namespace Mic.Trainer.Export;

/// <summary>
/// Flip test-time augmentation baked into a model-contract graph (fast.ai's <c>learn.tta</c> with the mirror image
/// only): the wrapped model classifies each image and its left-right mirror in one batch and returns the mean of the
/// two probability vectors. The contract does not change (<c>pixels</c> uint8 [N, H, W, 3] in, <c>probabilities</c>
/// float [N, C] out), so Mic.Core, the function and the int8 quantizer take the wrapped model as any other; each
/// image costs two passes of the network.
/// </summary>
public static class TestTimeFlip
{
    /// <summary>The manifest's <c>testTimeAugmentation</c> value, and the model's metadata value, for this wrapper.</summary>
    public const string Name = "flip";

    /// <summary>Metadata key on the ONNX model that marks it as wrapped (so it is never wrapped twice).</summary>
    public const string MetadataKey = "mic.test_time_augmentation";

    private const string Prefix = "mic_tta_";

    public static bool IsApplied(ModelProto model) => model.MetadataProps.Any(p => p.Key == MetadataKey);

    /// <summary>A copy of <paramref name="model"/> that averages each image's probabilities with its mirror's.</summary>
    /// <param name="model">A model obeying the contract, with a batch dimension the graph does not fix.</param>
    /// <param name="classes">Length of the probability vector.</param>
    /// <exception cref="InvalidDataException">The model is already wrapped or lacks the contract's input or output.</exception>
    public static ModelProto Apply(ModelProto model, int classes)
    {
        if (IsApplied(model))
        {
            throw new InvalidDataException($"the model already averages over its mirror image ({MetadataKey} = {model.MetadataProps.First(p => p.Key == MetadataKey).Value})");
        }

        var graph = model.Graph;
        if (graph.Input.All(i => i.Name != OnnxClassifier.InputName) || graph.Output.All(o => o.Name != OnnxClassifier.OutputName))
        {
            throw new InvalidDataException($"the model does not have the contract's '{OnnxClassifier.InputName}' input and '{OnnxClassifier.OutputName}' output");
        }

        var wrapped = model.Clone();
        var g = wrapped.Graph;
        const string Both = Prefix + "pixels";
        const string Scores = Prefix + "probabilities";
        foreach (var node in g.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == OnnxClassifier.InputName)
                {
                    node.Input[i] = Both;
                }
            }

            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == OnnxClassifier.OutputName)
                {
                    node.Output[i] = Scores;
                }
            }
        }

        // pixels [N, H, W, 3] → its mirror along W (axis 2, read backwards) → [2N, H, W, 3]: the originals, then the mirrors.
        g.Initializer.Add(Longs(Prefix + "starts", [1], [-1]));
        g.Initializer.Add(Longs(Prefix + "ends", [1], [long.MinValue]));
        g.Initializer.Add(Longs(Prefix + "axes", [1], [2]));
        g.Initializer.Add(Longs(Prefix + "steps", [1], [-1]));
        g.Node.Insert(0, Node("Slice",
            [OnnxClassifier.InputName, Prefix + "starts", Prefix + "ends", Prefix + "axes", Prefix + "steps"], [Prefix + "mirrored"]));
        g.Node.Insert(1, Node("Concat", [OnnxClassifier.InputName, Prefix + "mirrored"], [Both], Int("axis", 0)));

        // [2N, C] → [2, N, C] → mean over the two views → [N, C].
        g.Initializer.Add(Longs(Prefix + "pairs_shape", [3], [2, -1, classes]));
        g.Node.Add(Node("Reshape", [Scores, Prefix + "pairs_shape"], [Prefix + "pairs"]));
        // ReduceMean's axes became an input in opset 18.
        if (OpsetUpgrader.DefaultOpset(wrapped) >= 18)
        {
            g.Initializer.Add(Longs(Prefix + "views_axis", [1], [0]));
            g.Node.Add(Node("ReduceMean", [Prefix + "pairs", Prefix + "views_axis"], [OnnxClassifier.OutputName], Int("keepdims", 0)));
        }
        else
        {
            g.Node.Add(Node("ReduceMean", [Prefix + "pairs"], [OnnxClassifier.OutputName], Ints("axes", 0), Int("keepdims", 0)));
        }

        // Named after its own step: the node that made the probabilities before keeps its name.
        g.Node[^1].Name = Prefix + "mean";

        wrapped.MetadataProps.Add(new StringStringEntryProto { Key = MetadataKey, Value = Name });
        wrapped.DocString = $"{model.DocString}{(model.DocString.Length > 0 ? "; " : "")}flip test-time augmentation: mean of the image's and its mirror's probabilities";
        return wrapped;
    }

    /// <summary>
    /// Opens the bundle <c>mic-train tta</c> names and checks it can be wrapped, before any data is read: an fp32
    /// bundle without test-time augmentation, not in the folder the new bundle goes to.
    /// </summary>
    /// <exception cref="InvalidDataException">The bundle is int8, its manifest says it is already wrapped, or it is where the output goes.</exception>
    /// <exception cref="ModelBundleException">The folder is not a valid bundle.</exception>
    public static ModelBundle OpenBundle(string directory, string outputDirectory)
    {
        var source = ModelBundle.Load(directory);
        var where = source.Directory;
        if (source.Manifest.Model.Precision != "fp32")
        {
            throw new InvalidDataException(
                $"{where}: its model is {source.Manifest.Model.Precision}; give the fp32 bundle (the training output folder), which is then quantized again with the mirror built in");
        }

        if (Path.TrimEndingDirectorySeparator(Path.GetFullPath(where)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory)))
        {
            throw new InvalidDataException($"{where} is also the --output folder: the new bundle would overwrite the one it wraps; choose another --output");
        }

        // From the manifest, without parsing the model; a model marked wrapped under another manifest is refused by Apply.
        if (source.Manifest.TestTimeAugmentation is { } tta)
        {
            throw new InvalidDataException($"{where}: the model already averages over its mirror image (test-time augmentation '{tta}')");
        }

        return source;
    }
}
