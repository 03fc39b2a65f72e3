using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Quantization.Onnx;
using Mic.Trainer.Model;
using Onnx;
using static Mic.Quantization.Onnx.OnnxNodes;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Trainer.Packaging;

/// <summary>
/// Puts an ONNX image classifier trained elsewhere (float NCHW input, one score per class out) under the model
/// contract: the contract's uint8 NHWC <c>pixels</c> input with the declared normalisation is put in front, and a
/// Softmax is added when the model ends in raw scores. The pipeline's <c>bundle</c> steps check and write the result.
/// </summary>
public static class ExternalClassifier
{
    /// <returns>The wrapped model, and the input size it takes.</returns>
    /// <exception cref="InvalidDataException">The model does not take one float [N, 3, H, W] image, or its size is unknown.</exception>
    public static (ModelProto Model, ModelInput Input) Wrap(string onnxPath, int classes, Normalization normalization, int? imageSize)
    {
        var source = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath));
        if (OpsetUpgrader.DefaultOpset(source) < BackboneGraph.Opset)
        {
            source = OpsetUpgrader.Upgrade(source);
        }

        var initializers = source.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = source.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            throw new InvalidDataException($"{onnxPath}: expected one image input, found {inputs.Count} ({string.Join(", ", inputs.Select(i => i.Name))})");
        }

        var dims = inputs[0].Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue : (long?)null).ToArray();
        if (dims.Length != 4 || dims[1] is not (3 or null))
        {
            throw new InvalidDataException($"{onnxPath}: input '{inputs[0].Name}' must be float [N, 3, H, W] (NCHW RGB or BGR); it is [{string.Join(", ", dims.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"))}]");
        }

        var height = (int)(dims[2] ?? imageSize ?? throw new InvalidDataException($"{onnxPath}: the input size is not fixed; give --image-size"));
        var width = (int)(dims[3] ?? imageSize!.Value);

        var graph = new GraphProto { Name = $"mic-bundle-{Path.GetFileNameWithoutExtension(onnxPath)}" };
        ClassifierGraph.AddContractInput(graph, normalization, height, width, inputs[0].Name);
        graph.Node.AddRange(source.Graph.Node);
        graph.Initializer.AddRange(source.Graph.Initializer);

        var scores = source.Graph.Output[0].Name;
        graph.Node.Add(Node("Flatten", [scores], ["mic_scores"], Int("axis", 1)));
        var endsInSoftmax = source.Graph.Node.LastOrDefault(n => n.Output.Contains(scores))?.OpType == "Softmax";
        graph.Node.Add(endsInSoftmax
            ? Node("Identity", ["mic_scores"], [OnnxClassifier.OutputName])
            : Node("Softmax", ["mic_scores"], [OnnxClassifier.OutputName], Int("axis", 1)));
        graph.Output.Add(Value(OnnxClassifier.OutputName, DataType.Float, null, classes));

        var model = new ModelProto
        {
            IrVersion = Math.Max(7, source.IrVersion),
            ProducerName = "mic-train bundle",
            Graph = graph,
        };
        model.OpsetImport.AddRange(source.OpsetImport);

        return (model, new ModelInput(width, height, ResizePolicy.ShorterSideThenCenterCrop));
    }
}
