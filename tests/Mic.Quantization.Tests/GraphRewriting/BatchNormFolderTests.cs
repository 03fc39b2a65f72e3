using Mic.Quantization.GraphRewriting;
using Onnx;
using static Mic.Quantization.Tests.ConformanceCase;
using static Mic.Onnx.OnnxNodes;
using static Mic.TestSupport.OnnxGraph;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Quantization.Tests.GraphRewriting;

public sealed class BatchNormFolderTests
{
    [Theory]
    [InlineData("test_batchnorm_example")]
    [InlineData("test_batchnorm_epsilon")]
    public void Fold_IdentityConvBeforeConformanceBatchNorm_MatchesOnnxReferenceOutput(string test)
    {
        var conformance = Load(test);
        var channels = conformance.Inputs[0].Dims[1];
        var identity = new float[channels * channels];
        for (var c = 0; c < channels; c++)
        {
            identity[(c * channels) + c] = 1;
        }

        var folding = BatchNormFolder.Fold(BehindConv(conformance, identity, bias: null));

        Assert.Equal(1, folding.Folded);
        Assert.DoesNotContain(folding.Model.Graph.Node, n => n.OpType == "BatchNormalization");
        var x = conformance.Inputs[0];
        var actual = Ort.Run(folding.Model, "x", Floats(x), [.. x.Dims], "y");
        Assert.True(Ort.RelativeError(Floats(conformance.Outputs[0]), actual) <= 1e-4);
    }

    [Theory]
    [InlineData("test_batchnorm_example")]
    [InlineData("test_batchnorm_epsilon")]
    public void Fold_RandomConvWithBiasBeforeConformanceBatchNorm_MatchesUnfoldedModel(string test)
    {
        var conformance = Load(test);
        var channels = (int)conformance.Inputs[0].Dims[1];
        var random = new Random(5);
        var weights = Enumerable.Range(0, channels * channels).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var bias = Enumerable.Range(0, channels).Select(_ => (float)random.NextDouble()).ToArray();
        var model = BehindConv(conformance, weights, bias);
        var x = conformance.Inputs[0];

        var expected = Ort.Run(model, "x", Floats(x), [.. x.Dims], "y");
        var folding = BatchNormFolder.Fold(model);
        var actual = Ort.Run(folding.Model, "x", Floats(x), [.. x.Dims], "y");

        Assert.Equal(1, folding.Folded);
        Assert.True(Ort.RelativeError(expected, actual) <= 1e-4);
    }

    [Fact]
    public void Fold_TrainingModeConformanceBatchNorm_LeavesItWithReason()
    {
        var conformance = Load("test_batchnorm_example_training_mode");
        var channels = conformance.Inputs[0].Dims[1];
        var model = BehindConv(conformance, new float[channels * channels], bias: null);

        var folding = BatchNormFolder.Fold(model);

        Assert.Equal(0, folding.Folded);
        Assert.Contains("training", Assert.Single(folding.Left));
        Assert.Single(folding.Model.Graph.Node, n => n.OpType == "BatchNormalization");
    }

    [Fact]
    public void Fold_ConvOutputIsAlsoAGraphOutput_LeavesBatchNorm()
    {
        var conformance = Load("test_batchnorm_example");
        var channels = conformance.Inputs[0].Dims[1];
        var model = BehindConv(conformance, new float[channels * channels], bias: null);
        model.Graph.Output.Add(Value("conv_out", DataType.Float, [.. conformance.Inputs[0].Dims.Select(d => (long?)d)]));

        var folding = BatchNormFolder.Fold(model);

        Assert.Equal(0, folding.Folded);
        Assert.Contains("read elsewhere", Assert.Single(folding.Left));
    }

    [Fact]
    public void Fold_OfflineResNet18_SameFeaturesWithoutBatchNorm()
    {
        var model = ResNet18Models.Featurizer();

        var folding = BatchNormFolder.Fold(model);

        Assert.Equal(22, folding.Folded);
        Assert.Empty(folding.Left);
        Assert.DoesNotContain(folding.Model.Graph.Node, n => n.OpType == "BatchNormalization");
        using var original = Ort.Session(model);
        using var folded = Ort.Session(folding.Model);
        foreach (var photo in TestPhotos.HeldOut.Take(3))
        {
            var pixels = TestPhotos.Pixels(photo, TestPhotos.ResNet18Input);
            var expected = Ort.RunPixels(original, pixels, ResNet18Models.Size, "features");
            var actual = Ort.RunPixels(folded, pixels, ResNet18Models.Size, "features");
            Assert.True(Ort.RelativeError(expected, actual) <= 1e-4, photo);
        }
    }

    /// <summary>x → Conv 1×1 (<paramref name="weights"/>, [C, C]) → the case's BatchNormalization, its parameters as initializers.</summary>
    private static ModelProto BehindConv(ConformanceCase conformance, float[] weights, float[]? bias)
    {
        var x = conformance.Inputs[0];
        var channels = x.Dims[1];
        var bn = conformance.Model.Graph.Node.Single(n => n.OpType == "BatchNormalization").Clone();
        var graph = new GraphProto { Name = "conv-bn" };
        graph.Input.Add(Value("x", DataType.Float, [.. x.Dims.Select(d => (long?)d)]));
        graph.Output.Add(Value(bn.Output[0], DataType.Float, [.. x.Dims.Select(d => (long?)d)]));
        graph.Initializer.Add(Floats("conv_w", [channels, channels, 1, 1], weights));
        string[] convInputs = bias is null ? ["x", "conv_w"] : ["x", "conv_w", "conv_b"];
        if (bias is not null)
        {
            graph.Initializer.Add(Floats("conv_b", [channels], bias));
        }

        graph.Node.Add(Node("Conv", convInputs, ["conv_out"]));
        for (var i = 1; i < 5; i++)
        {
            var parameter = conformance.Inputs[i].Clone();
            parameter.Name = bn.Input[i];
            graph.Initializer.Add(parameter);
        }

        bn.Input[0] = "conv_out";
        graph.Node.Add(bn);
        var model = Model(graph);
        model.OpsetImport[0].Version = conformance.Model.OpsetImport[0].Version;
        model.IrVersion = conformance.Model.IrVersion;
        return model;
    }
}
