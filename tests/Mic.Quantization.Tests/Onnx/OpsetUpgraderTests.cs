using Mic.Quantization.Onnx;
using Onnx;
using static Mic.Quantization.Onnx.OnnxNodes;
using static Mic.TestSupport.OnnxGraph;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Quantization.Tests.Onnx;

public sealed class OpsetUpgraderTests
{
    [Fact]
    public void Upgrade_OfflineResNet18AtOpset8_SameFeaturesAtOpset13()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
        var original = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var input = original.Graph.Input[0].Name;
        var output = original.Graph.Output[0].Name;
        var chw = BgrMinusMean(TestPhotos.Pixels(TestAssets.Skimage("motorcycle_left.png"), TestPhotos.ResNet18Input));

        var upgraded = OpsetUpgrader.Upgrade(original);

        Assert.Equal(8, OpsetUpgrader.DefaultOpset(original));
        Assert.Equal(13, OpsetUpgrader.DefaultOpset(upgraded));
        Assert.True(upgraded.IrVersion >= 7);
        Assert.DoesNotContain(upgraded.Graph.Node, n => n.Attribute.Any(a => a.Name == "spatial"));
        var expected = Ort.Run(original, input, chw, [1, 3, 224, 224], output);
        var actual = Ort.Run(upgraded, input, chw, [1, 3, 224, 224], output);
        Assert.True(Ort.RelativeError(expected, actual) <= 1e-5);
    }

    [Fact]
    public void Upgrade_Opset10AttributesThatBecameInputs_SameOutputs()
    {
        var graph = new GraphProto { Name = "opset10" };
        graph.Input.Add(Value("x", DataType.Float, 1, 3, 4, 5));
        graph.Output.Add(Value("y", DataType.Float, 1, 3, 6, 1));
        graph.Node.Add(Node("Clip", ["x"], ["clipped"], Float("min", -0.5f), Float("max", 0.7f)));
        graph.Node.Add(Node("Pad", ["clipped"], ["padded"], Ints("pads", 0, 0, 1, 1, 0, 0, 1, 1), Float("value", 0.25f)));
        graph.Node.Add(Node("Unsqueeze", ["padded"], ["expanded"], Ints("axes", 0)));
        graph.Node.Add(Node("Squeeze", ["expanded"], ["squeezed"], Ints("axes", 0)));
        graph.Node.Add(Node("ReduceSum", ["squeezed"], ["summed"], Ints("axes", 3), Int("keepdims", 1)));
        // Opset < 13 Softmax normalizes over everything from `axis` on, here C·H·W; opset 13 only over C.
        graph.Node.Add(Node("Softmax", ["summed"], ["y"], Int("axis", 1)));
        var model = Model(graph);
        model.OpsetImport[0].Version = 10;
        model.IrVersion = 5;
        var random = new Random(3);
        var x = Enumerable.Range(0, 60).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();

        var upgraded = OpsetUpgrader.Upgrade(model);

        Assert.Equal(13, OpsetUpgrader.DefaultOpset(upgraded));
        var expected = Ort.Run(model, "x", x, [1, 3, 4, 5], "y");
        var actual = Ort.Run(upgraded, "x", x, [1, 3, 4, 5], "y");
        Assert.True(Ort.RelativeError(expected, actual) <= 1e-6);
        Assert.Equal(1.0, actual.Sum(), 4);
    }

    [Fact]
    public void Upgrade_OpWhoseSemanticsChanged_ThrowsNamingTheNode()
    {
        var graph = new GraphProto { Name = "upsample" };
        graph.Input.Add(Value("x", DataType.Float, 1, 1, 2, 2));
        graph.Output.Add(Value("y", DataType.Float, 1, 1, 4, 4));
        graph.Initializer.Add(Floats("scales", [4], [1, 1, 2, 2]));
        var upsample = Node("Upsample", ["x", "scales"], ["y"]);
        upsample.Name = "decoder_upsample";
        graph.Node.Add(upsample);
        var model = Model(graph);
        model.OpsetImport[0].Version = 9;

        var error = Assert.Throws<NotSupportedException>(() => OpsetUpgrader.Upgrade(model));

        Assert.Contains("decoder_upsample", error.Message);
        Assert.Contains("Upsample", error.Message);
    }

    [Fact]
    public void Upgrade_BatchNormWithSpatialZero_ThrowsNamingTheAttribute()
    {
        var graph = new GraphProto { Name = "bn" };
        graph.Input.Add(Value("x", DataType.Float, 1, 2, 2, 2));
        graph.Output.Add(Value("y", DataType.Float, 1, 2, 2, 2));
        foreach (var name in new[] { "s", "b", "m", "v" })
        {
            graph.Initializer.Add(Floats(name, [8], new float[8]));
        }

        graph.Node.Add(Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], Int("spatial", 0)));
        var model = Model(graph);
        model.OpsetImport[0].Version = 8;

        var error = Assert.Throws<NotSupportedException>(() => OpsetUpgrader.Upgrade(model));

        Assert.Contains("spatial=0", error.Message);
    }

    private static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    // The package's own preprocessing, approximately: BGR planes minus the per-channel means of its mean image.
    private static float[] BgrMinusMean(byte[] rgb)
    {
        float[] means = [103.06f, 115.90f, 123.15f];
        var plane = rgb.Length / 3;
        var chw = new float[rgb.Length];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                chw[(c * plane) + i] = rgb[(i * 3) + (2 - c)] - means[c];
            }
        }

        return chw;
    }
}
