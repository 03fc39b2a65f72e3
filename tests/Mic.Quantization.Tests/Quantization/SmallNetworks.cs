using Mic.Core.Models;
using Onnx;
using static Mic.Onnx.OnnxNodes;
using static Mic.TestSupport.OnnxGraph;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Quantization.Tests.Quantization;

/// <summary>
/// Small contract-shaped CNNs (uint8 NHWC <c>pixels</c> in, float <c>features</c> out) with seeded random weights,
/// each holding the construct a test is about, and calibration samples of real photos at their size.
/// </summary>
internal static class SmallNetworks
{
    public const int Size = 16;
    public const int Channels = 8;

    public static ModelInput Input { get; } = new(Size, Size, ResizePolicy.ShorterSideThenCenterCrop);

    public static CalibrationData Calibration() =>
        new(Size, Size, TestPhotos.Calibration.Select(p => (ReadOnlyMemory<byte>)TestPhotos.Pixels(p, Input)));

    /// <summary>pixels → Cast → NCHW → ÷64 → <paramref name="body"/> → GlobalAveragePool → Flatten → features.</summary>
    public static ModelProto Build(Action<GraphProto, Random> body, int opset = Opset)
    {
        var graph = new GraphProto { Name = "small" };
        graph.Input.Add(Value("pixels", DataType.Uint8, null, Size, Size, 3));
        graph.Output.Add(Value("features", DataType.Float, null, Channels));
        graph.Initializer.Add(Floats("inv64", [], [1 / 64f]));
        graph.Node.Add(Node("Cast", ["pixels"], ["rgb_nhwc"], Int("to", (long)DataType.Float)));
        graph.Node.Add(Node("Transpose", ["rgb_nhwc"], ["rgb"], Ints("perm", 0, 3, 1, 2)));
        graph.Node.Add(Node("Mul", ["rgb", "inv64"], ["x0"]));
        body(graph, new Random(7));
        graph.Node.Add(Node("GlobalAveragePool", ["body"], ["pooled"]));
        graph.Node.Add(Node("Flatten", ["pooled"], ["features"], Int("axis", 1)));
        var model = Model(graph);
        model.OpsetImport[0].Version = opset;
        return model;
    }

    /// <summary>A named 3×3 Conv (pads 1) with random weights and bias from <paramref name="input"/> to <paramref name="output"/>.</summary>
    public static void Conv(GraphProto graph, Random random, string name, string input, string output, int inputChannels = 3)
    {
        graph.Initializer.Add(Floats($"{name}_w", [Channels, inputChannels, 3, 3], RandomValues(random, Channels * inputChannels * 9, 0.3f)));
        graph.Initializer.Add(Floats($"{name}_b", [Channels], RandomValues(random, Channels, 0.1f)));
        var conv = Node("Conv", [input, $"{name}_w", $"{name}_b"], [output], Ints("pads", 1, 1, 1, 1));
        conv.Name = name;
        graph.Node.Add(conv);
    }

    public static float[] RandomValues(Random random, int count, float amplitude) =>
        [.. Enumerable.Range(0, count).Select(_ => ((float)random.NextDouble() * 2 - 1) * amplitude)];
}
