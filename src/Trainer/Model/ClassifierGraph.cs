using Mic.Core.Inference;
using Onnx;
using static Mic.Quantization.Onnx.OnnxNodes;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Trainer.Model;

/// <summary>
/// Builds the whole model-contract graph the trainer trains and exports (docs/architecture.md, "Model contract"):
/// <c>pixels</c> uint8 [N, H, W, 3] RGB → cast, channel order and normalisation (in NHWC, then one transpose, which
/// leaves channels_last strides) → the backbone up to its feature map → a fast.ai head (concat max+avg pooling,
/// BatchNorm, Dropout 0.25, Linear → 512, ReLU, BatchNorm, Dropout 0.5, Linear → classes) → <c>logits</c> →
/// Softmax → <c>probabilities</c> float [N, C].
/// </summary>
public static class ClassifierGraph
{
    public const string Logits = "logits";
    private const int Hidden = 512;

    /// <summary>Names of the head's nodes' initializers start with this; everything else is backbone.</summary>
    public const string HeadPrefix = "head_";

    public static ModelProto Build(Backbone backbone, int classes, int height, int width, int seed)
    {
        var body = BackboneGraph.Cut(backbone.Model, backbone.FeatureMap);
        var graph = new GraphProto { Name = $"mic-{backbone.Name}" };
        AddContractInput(graph, backbone.Normalization, height, width, backbone.Input);
        graph.Output.Add(Value(OnnxClassifier.OutputName, DataType.Float, null, classes));

        graph.Node.AddRange(body.Graph.Node);
        graph.Initializer.AddRange(body.Graph.Initializer);

        // Probe the feature width with one blank image at this size.
        var features = FeatureChannels(graph, body.Graph.Output[0].Name, height, width, backbone.Name);

        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var fm = body.Graph.Output[0].Name;
        graph.Node.Add(Node("GlobalMaxPool", [fm], ["head_max"]));
        graph.Node.Add(Node("GlobalAveragePool", [fm], ["head_avg"]));
        graph.Node.Add(Node("Concat", ["head_max", "head_avg"], ["head_concat"], Int("axis", 1)));
        graph.Node.Add(Node("Flatten", ["head_concat"], ["head_flat"], Int("axis", 1)));
        AddBatchNorm(graph, "head_bn1", "head_flat", 2 * features);
        AddDropout(graph, "head_drop1", "head_bn1", 0.25f);
        AddLinear(graph, "head_fc1", "head_drop1", 2 * features, Hidden, generator);
        graph.Node.Add(Node("Relu", ["head_fc1"], ["head_relu"]));
        AddBatchNorm(graph, "head_bn2", "head_relu", Hidden);
        AddDropout(graph, "head_drop2", "head_bn2", 0.5f);
        AddLinear(graph, "head_fc2", "head_drop2", Hidden, classes, generator, output: Logits);
        graph.Node.Add(Node("Softmax", [Logits], [OnnxClassifier.OutputName], Int("axis", 1)));

        return new ModelProto
        {
            IrVersion = 7,
            ProducerName = "mic-train",
            DocString = $"MIC classifier: {backbone.Name} backbone, fast.ai head, {classes} classes, {width}x{height} uint8 NHWC RGB in",
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = BackboneGraph.Opset } },
        };
    }

    /// <summary>
    /// Adds the contract's input, <c>pixels</c> uint8 [N, H, W, 3] RGB, and the nodes that turn it into a normalised
    /// float NCHW tensor named <paramref name="output"/>: cast, channel order and normalisation in NHWC, then one
    /// transpose (which leaves channels_last strides for free).
    /// </summary>
    public static void AddContractInput(GraphProto graph, Normalization n, int height, int width, string output)
    {
        graph.Input.Add(Value(OnnxClassifier.InputName, DataType.Uint8, null, height, width, 3));
        graph.Node.Add(Node("Cast", [OnnxClassifier.InputName], ["mic_rgb"], Int("to", (long)DataType.Float)));
        var pixels = "mic_rgb";
        if (n.Order == ChannelOrder.Bgr)
        {
            graph.Initializer.Add(Longs("mic_bgr_order", [3], [2, 1, 0]));
            graph.Node.Add(Node("Gather", ["mic_rgb", "mic_bgr_order"], ["mic_bgr"], Int("axis", 3)));
            pixels = "mic_bgr";
        }

        graph.Initializer.Add(Floats("mic_scale", [3], n.Scale));
        graph.Initializer.Add(Floats("mic_offset", [3], n.Offset));
        graph.Node.Add(Node("Mul", [pixels, "mic_scale"], ["mic_scaled"]));
        graph.Node.Add(Node("Add", ["mic_scaled", "mic_offset"], ["mic_normalized"]));
        graph.Node.Add(Node("Transpose", ["mic_normalized"], [output], Ints("perm", 0, 3, 1, 2)));
    }

    /// <exception cref="InvalidDataException">The backbone cannot take images of this size.</exception>
    private static int FeatureChannels(GraphProto graph, string featureMap, int height, int width, string backbone)
    {
        var probe = new ModelProto
        {
            IrVersion = 7,
            Graph = graph.Clone(),
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = BackboneGraph.Opset } },
        };
        probe.Graph.Output.Clear();
        probe.Graph.Output.Add(new ValueInfoProto { Name = featureMap });
        using var scope = NewDisposeScope();
        using var module = Onnx.OnnxGraphModule.Import(probe);
        module.eval();
        using var noGrad = no_grad();
        Tensor output;
        try
        {
            output = module.forward(zeros([1, height, width, 3], ScalarType.Byte));
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            // Some graphs only line up at some sizes (the offline ResNet18's branches disagree at 40, 56, 72 or 80 px,
            // in ONNX Runtime as here); that is the size the user chose, not a bug.
            throw new InvalidDataException(
                $"--image-size {width}: the {backbone} backbone cannot take {width}x{height} images (its branches' feature maps do not line up: {e.Message.Split('\n')[0]}); multiples of 32 work",
                e);
        }

        if (output.dim() != 4)
        {
            throw new InvalidDataException($"feature map '{featureMap}' has rank {output.dim()}, expected [N, C, h, w]");
        }

        return (int)output.shape[1];
    }

    private static void AddBatchNorm(GraphProto graph, string name, string input, int width)
    {
        graph.Initializer.Add(Floats($"{name}_scale", [width], Enumerable.Repeat(1f, width).ToArray()));
        graph.Initializer.Add(Floats($"{name}_bias", [width], new float[width]));
        graph.Initializer.Add(Floats($"{name}_mean", [width], new float[width]));
        graph.Initializer.Add(Floats($"{name}_var", [width], Enumerable.Repeat(1f, width).ToArray()));
        graph.Node.Add(Node("BatchNormalization",
            [input, $"{name}_scale", $"{name}_bias", $"{name}_mean", $"{name}_var"], [name],
            new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = 1e-5f },
            new AttributeProto { Name = "momentum", Type = AttributeProto.Types.AttributeType.Float, F = 0.9f }));
    }

    private static void AddDropout(GraphProto graph, string name, string input, float ratio)
    {
        graph.Initializer.Add(Floats($"{name}_ratio", [], [ratio]));
        graph.Node.Add(Node("Dropout", [input, $"{name}_ratio"], [name]));
    }

    /// <summary>Kaiming-normal weights (fan in, ReLU gain) and zero bias, as fast.ai initialises its head.</summary>
    private static void AddLinear(GraphProto graph, string name, string input, int inputs, int outputs, Generator generator,
        string? output = null)
    {
        using var weight = randn([outputs, inputs], generator: generator) * Math.Sqrt(2.0 / inputs);
        graph.Initializer.Add(Floats($"{name}_weight", [outputs, inputs], weight.data<float>().ToArray()));
        graph.Initializer.Add(Floats($"{name}_bias", [outputs], new float[outputs]));
        graph.Node.Add(Node("Gemm", [input, $"{name}_weight", $"{name}_bias"], [output ?? name], Int("transB", 1)));
    }
}
