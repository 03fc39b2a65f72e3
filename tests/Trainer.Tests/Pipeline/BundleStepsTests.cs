using Google.Protobuf;
using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Trainer.Model;
using Mic.Trainer.Pipeline;
using Onnx;
using static Mic.Quantization.Onnx.OnnxNodes;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Trainer.Tests.Pipeline;

/// <summary><c>bundle</c>'s steps: a classifier trained elsewhere, put under the contract, checked and written.</summary>
public sealed class BundleStepsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(255, 0, 0, "red")]
    [InlineData(0, 0, 255, "blue")]
    public async Task Bundle_NchwClassifierWithRawScores_ServesProbabilitiesUnderTheContract(byte r, byte g, byte b, string expected)
    {
        var path = WriteNchwColourModel(withSoftmax: false);

        var bundle = await BundleAsync(path, TestModels.ColorLabels, "external-1");

        using var classifier = OnnxClassifier.Load(bundle);
        var probabilities = classifier.Run(Enumerable.Range(0, 16 * 16).SelectMany(_ => new[] { r, g, b }).ToArray(), 1);
        Assert.Equal(expected, classifier.Top(probabilities, 1)[0].Label);
        Assert.Equal(1f, probabilities.Sum(), 3);
        Assert.Equal(new ModelInput(16, 16, ResizePolicy.ShorterSideThenCenterCrop), bundle.Manifest.Input);
        Assert.Equal("fp32", bundle.Manifest.Model.Precision);
    }

    [Fact]
    public async Task Bundle_ModelEndingInSoftmax_IsNotSoftmaxedTwice()
    {
        var path = WriteNchwColourModel(withSoftmax: true);

        var bundle = await BundleAsync(path, TestModels.ColorLabels, "external-2");

        using var classifier = OnnxClassifier.Load(bundle);
        var probabilities = classifier.Run(Enumerable.Range(0, 16 * 16).SelectMany(_ => new byte[] { 255, 0, 0 }).ToArray(), 1);
        // softmax(10 * (1, 0, 0)) once: 0.99991; twice it would be about 0.58.
        Assert.True(probabilities[0] > 0.999f, $"p(red) = {probabilities[0]}");
    }

    [Fact]
    public async Task Bundle_LabelCountDiffers_SaysBothCounts()
    {
        var path = WriteNchwColourModel(withSoftmax: false);

        var e = await Assert.ThrowsAsync<ModelBundleException>(() => BundleAsync(path, ["a", "b", "c", "d"], "external-3"));

        Assert.Contains("4", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("bundle")), "nothing is written for a model that breaks the contract");
    }

    private async Task<ModelBundle> BundleAsync(string onnxPath, IReadOnlyList<string> labels, string version)
    {
        using var run = new PipelineRun(new PipelineRequest { OutputDirectory = _temp.Combine("bundle"), Version = version });
        await new TrainingPipeline(PipelineSteps.Bundle(onnxPath, labels, Normalization.UnitRange, null)).RunAsync(run, CancellationToken.None);
        var written = run.Candidate!.Written!;
        Assert.Equal(ModelBundleWriter.Serialize(run.Candidate.Manifest, "draft"), File.ReadAllBytes(Path.Combine(written.Directory, "manifest.json")));
        return written;
    }

    /// <summary>An NCHW float classifier trained "elsewhere": mean colour of a [0,1]-scaled image × 10 → scores.</summary>
    private string WriteNchwColourModel(bool withSoftmax)
    {
        var graph = new GraphProto { Name = "external" };
        graph.Input.Add(Value("image", DataType.Float, 1, 3, 16, 16));
        graph.Initializer.Add(Floats("ten", [1], [10f]));
        graph.Node.Add(Node("ReduceMean", ["image"], ["mean"], Ints("axes", 2, 3), Int("keepdims", 0)));
        graph.Node.Add(Node("Mul", ["mean", "ten"], withSoftmax ? ["scores"] : ["out"]));
        if (withSoftmax)
        {
            graph.Node.Add(Node("Softmax", ["scores"], ["out"], Int("axis", 1)));
        }

        graph.Output.Add(Value("out", DataType.Float, 1, 3));
        var path = _temp.Combine(withSoftmax ? "softmax.onnx" : "scores.onnx");
        File.WriteAllBytes(path, OnnxGraph.Model(graph).ToByteArray());
        return path;
    }
}
