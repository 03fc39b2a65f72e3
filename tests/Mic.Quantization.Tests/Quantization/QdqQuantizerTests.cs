using Mic.Quantization.GraphRewriting;
using Onnx;
using static Mic.Quantization.Tests.Quantization.SmallNetworks;
using static Mic.Onnx.OnnxNodes;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Quantization.Tests.Quantization;

/// <summary>Constructs beyond ResNet18: each is either quantized as ONNX Runtime expects, or left in float with a reason.</summary>
public sealed class QdqQuantizerTests
{
    [Fact]
    public void Quantize_ConvWhoseWeightIsComputed_LeftInFloatWithReasonAndStillAgrees()
    {
        var model = Build((graph, random) =>
        {
            Conv(graph, random, "conv_a", "x0", "a");
            graph.Node.Add(Node("Relu", ["a"], ["a_relu"]));
            Conv(graph, random, "conv_b", "a_relu", "body", inputChannels: Channels);
            graph.Initializer.Add(Floats("two", [], [2f]));
            var conv = graph.Node.Single(n => n.Name == "conv_b");
            graph.Node.Insert(graph.Node.IndexOf(conv), Node("Mul", ["conv_b_w", "two"], ["conv_b_w_doubled"]));
            conv.Input[1] = "conv_b_w_doubled";
        });

        var result = QdqQuantizer.Quantize(model, Calibration());

        Assert.Equal(1, result.Report.QuantizedConv);
        Assert.Contains(result.Report.LeftInFloat, l => l.StartsWith("conv_b", StringComparison.Ordinal) && l.Contains("computed"));
        var convB = result.Model.Graph.Node.Single(n => n.Name == "conv_b");
        Assert.Equal("conv_b_w_doubled", convB.Input[1]);
        AssertAgreesOnHeldOut(model, result.Model);
    }

    [Fact]
    public void Quantize_AddOfAConstant_LeftInFloatWithReason()
    {
        var model = Build((graph, random) =>
        {
            Conv(graph, random, "conv_a", "x0", "a");
            graph.Initializer.Add(Floats("offset", [1, Channels, 1, 1], RandomValues(random, Channels, 1f)));
            var add = Node("Add", ["a", "offset"], ["body"]);
            add.Name = "add_offset";
            graph.Node.Add(add);
        });

        var result = QdqQuantizer.Quantize(model, Calibration());

        Assert.Equal(0, result.Report.QuantizedAdd);
        Assert.Contains(result.Report.LeftInFloat, l => l.StartsWith("add_offset", StringComparison.Ordinal) && l.Contains("constant"));
        AssertAgreesOnHeldOut(model, result.Model);
    }

    [Fact]
    public void Quantize_ConvClipConvRelu_OnnxRuntimeAbsorbsClipAndRelu()
    {
        var model = Build((graph, random) =>
        {
            graph.Initializer.Add(Floats("zero", [], [0f]));
            graph.Initializer.Add(Floats("six", [], [6f]));
            Conv(graph, random, "conv_a", "x0", "a");
            graph.Node.Add(Node("Clip", ["a", "zero", "six"], ["a6"]));
            Conv(graph, random, "conv_b", "a6", "b", inputChannels: Channels);
            graph.Node.Add(Node("Relu", ["b"], ["body"]));
        });

        var result = QdqQuantizer.Quantize(model, Calibration());
        var optimized = OptimizedGraph.Of(result.Model);

        Assert.Equal(2, optimized.Count("QLinearConv"));
        Assert.Equal(1, optimized.Count("QLinearGlobalAveragePool"));
        Assert.Equal(0, optimized.Count("Clip"));
        Assert.Equal(0, optimized.Count("Relu"));
        AssertAgreesOnHeldOut(model, result.Model);
    }

    [Fact]
    public void Quantize_NodeNamedInKeepFloat_StaysFloat()
    {
        var model = Build((graph, random) =>
        {
            Conv(graph, random, "conv_a", "x0", "a");
            graph.Node.Add(Node("Relu", ["a"], ["a_relu"]));
            Conv(graph, random, "conv_b", "a_relu", "body", inputChannels: Channels);
        });

        var result = QdqQuantizer.Quantize(model, Calibration(), new QuantizationOptions { KeepFloat = new HashSet<string> { "conv_a" } });

        Assert.Equal(1, result.Report.QuantizedConv);
        Assert.Equal("conv_a_w", result.Model.Graph.Node.Single(n => n.Name == "conv_a").Input[1]);
        Assert.Contains(result.Report.LeftInFloat, l => l.StartsWith("conv_a", StringComparison.Ordinal));
    }

    [Fact]
    public void Quantize_Opset8ModelWithBatchNorm_UpgradedFoldedAndQuantized()
    {
        var model = Build((graph, random) =>
        {
            Conv(graph, random, "conv_a", "x0", "a");
            graph.Initializer.Add(Floats("bn_scale", [Channels], RandomValues(random, Channels, 2f)));
            graph.Initializer.Add(Floats("bn_bias", [Channels], RandomValues(random, Channels, 1f)));
            graph.Initializer.Add(Floats("bn_mean", [Channels], RandomValues(random, Channels, 1f)));
            graph.Initializer.Add(Floats("bn_var", [Channels], [.. RandomValues(random, Channels, 1f).Select(v => v * v + 0.1f)]));
            graph.Node.Add(Node("BatchNormalization", ["a", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["a_bn"], Int("spatial", 1)));
            graph.Node.Add(Node("Relu", ["a_bn"], ["body"]));
        }, opset: 8);

        var result = QdqQuantizer.Quantize(model, Calibration());

        Assert.Equal(8, result.Report.SourceOpset);
        Assert.Equal(13, OpsetUpgrader.DefaultOpset(result.Model));
        Assert.Equal(1, result.Report.FoldedBatchNorms);
        Assert.Equal(1, result.Report.QuantizedConv);
        Assert.DoesNotContain(result.Model.Graph.Node, n => n.OpType == "BatchNormalization");
        AssertAgreesOnHeldOut(model, result.Model);
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax)]
    [InlineData(CalibrationMethod.Percentile)]
    [InlineData(CalibrationMethod.Entropy)]
    public void Quantize_EachCalibrationMethod_AgreesWithFp32(CalibrationMethod method)
    {
        var model = Build((graph, random) =>
        {
            Conv(graph, random, "conv_a", "x0", "a");
            graph.Node.Add(Node("Relu", ["a"], ["a_relu"]));
            Conv(graph, random, "conv_b", "a_relu", "b", inputChannels: Channels);
            graph.Node.Add(Node("Add", ["b", "a_relu"], ["sum"]));
            graph.Node.Add(Node("Relu", ["sum"], ["body"]));
        });

        var result = QdqQuantizer.Quantize(model, Calibration(), new QuantizationOptions { Method = method });

        Assert.Equal(method, result.Report.Method);
        Assert.Equal(1, result.Report.QuantizedAdd);
        AssertAgreesOnHeldOut(model, result.Model);
    }

    [Fact]
    public void Quantize_FloatInput_ThrowsNamingTheInputAndTheContract()
    {
        var model = Build((graph, random) => Conv(graph, random, "conv_a", "x0", "body"));
        model.Graph.Input[0].Type.TensorType.ElemType = (int)DataType.Float;

        var error = Assert.Throws<ArgumentException>(() => QdqQuantizer.Quantize(model, Calibration()));

        Assert.Contains("'pixels' is Float", error.Message);
        Assert.Contains("uint8", error.Message);
    }

    [Fact]
    public void Quantize_CalibrationOfAnotherSize_ThrowsNamingBothSizes()
    {
        var model = Build((graph, random) => Conv(graph, random, "conv_a", "x0", "body"));
        var calibration = new CalibrationData(8, 8, [new byte[8 * 8 * 3]]);

        var error = Assert.Throws<ArgumentException>(() => QdqQuantizer.Quantize(model, calibration));

        Assert.Contains($"[-1, {Size}, {Size}, 3]", error.Message);
        Assert.Contains("[N, 8, 8, 3]", error.Message);
    }

    [Theory]
    [InlineData(50.0, 2048)]
    [InlineData(100.5, 2048)]
    [InlineData(99.9, 256)]
    public void Quantize_OptionsOutOfRange_ThrowsBeforeCalibrating(double percentile, int bins)
    {
        var model = Build((graph, random) => Conv(graph, random, "conv_a", "x0", "body"));
        var options = new QuantizationOptions { Method = CalibrationMethod.Percentile, Percentile = percentile, HistogramBins = bins };

        Assert.Throws<ArgumentOutOfRangeException>(() => QdqQuantizer.Quantize(model, Calibration(), options));
    }

    private static void AssertAgreesOnHeldOut(ModelProto fp32, ModelProto int8)
    {
        using var expected = Ort.Session(fp32);
        using var actual = Ort.Session(int8);
        foreach (var photo in TestPhotos.HeldOut)
        {
            var pixels = TestPhotos.Pixels(photo, Input);
            var cosine = Ort.Cosine(Ort.RunPixels(expected, pixels, Size, "features"), Ort.RunPixels(actual, pixels, Size, "features"));
            Assert.True(cosine >= 0.99, $"{photo}: fp32/int8 cosine {cosine}");
        }
    }
}
