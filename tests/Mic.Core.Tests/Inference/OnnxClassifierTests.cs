using Google.Protobuf;
using Mic.Core.Inference;
using Mic.Core.Models;
using Onnx;

namespace Mic.Core.Tests.Inference;

public sealed class OnnxClassifierTests : IDisposable
{
    private const int Size = 16;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(255, 0, 0, "red")]
    [InlineData(0, 200, 0, "green")]
    [InlineData(10, 20, 250, "blue")]
    public void Run_SolidColour_TopLabelIsThatColour(byte r, byte g, byte b, string expected)
    {
        using var classifier = OnnxClassifier.Load(TestBundles.Color(_temp.Path, size: Size));

        var probabilities = classifier.Run(Solid(r, g, b), 1);
        var top = classifier.Top(probabilities, 3);

        Assert.Equal(expected, top[0].Label);
        Assert.True(top[0].Probability > 0.9f);
        Assert.Equal(1f, probabilities.Sum(), 3);
    }

    [Fact]
    public void Run_Batch_ReturnsOneRowPerSample()
    {
        using var classifier = OnnxClassifier.Load(TestBundles.Color(_temp.Path, size: Size));
        var batch = Solid(255, 0, 0).Concat(Solid(0, 0, 255)).ToArray();

        var probabilities = classifier.Run(batch, 2);

        Assert.Equal(6, probabilities.Length);
        Assert.Equal("red", classifier.Top(probabilities.AsSpan(0, 3), 1)[0].Label);
        Assert.Equal("blue", classifier.Top(probabilities.AsSpan(3, 3), 1)[0].Label);
    }

    [Fact]
    public void Run_ManyThreadsAtOnce_EveryAnswerIsRight()
    {
        using var classifier = OnnxClassifier.Load(TestBundles.Color(_temp.Path, size: Size));
        var colours = new (byte R, byte G, byte B, string Label)[] { (255, 0, 0, "red"), (0, 255, 0, "green"), (0, 0, 255, "blue") };

        var wrong = 0;
        Parallel.For(0, 600, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var (r, g, b, label) = colours[i % 3];
            if (classifier.Top(classifier.Run(Solid(r, g, b), 1), 1)[0].Label != label)
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void Run_AlreadyCancelled_Throws()
    {
        using var classifier = OnnxClassifier.Load(TestBundles.Color(_temp.Path, size: Size));

        Assert.Throws<OperationCanceledException>(() => classifier.Run(Solid(1, 2, 3), 1, new CancellationToken(true)));
    }

    [Fact]
    public void Top_MoreThanLabels_IsClampedAndSortedDescending()
    {
        using var classifier = OnnxClassifier.Load(TestBundles.Color(_temp.Path, size: Size));

        var top = classifier.Top([0.2f, 0.5f, 0.3f], 10);

        Assert.Equal(["green", "blue", "red"], top.Select(p => p.Label));
    }

    [Fact]
    public void Load_InputNotNamedPixels_SaysWhatTheContractIs()
    {
        var e = LoadBroken(TestModels.Color(Size, Size, inputName: "image"), TestModels.ColorLabels);

        Assert.Contains("exactly one input named 'pixels'", e.Message, StringComparison.Ordinal);
        Assert.Contains("image", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FloatInput_SaysUint8IsRequired()
    {
        var e = LoadBroken(TestModels.Color(Size, Size, inputType: TensorProto.Types.DataType.Float), TestModels.ColorLabels);

        Assert.Contains($"the contract is uint8 [N, {Size}, {Size}, 3]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InputSizeDiffersFromManifest_SaysSo()
    {
        var model = TestModels.Color(Size, Size).ToByteArray();
        TestBundles.WriteRaw(_temp.Path, model, TestBundles.Manifest("v1", TestModels.ColorLabels, model, Size * 2, Size * 2));

        var e = Assert.Throws<ModelBundleException>(() => OnnxClassifier.Load(ModelBundle.Load(_temp.Path)));

        Assert.Contains($"the contract is uint8 [N, {Size * 2}, {Size * 2}, 3]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LabelCountDiffersFromOutputs_SaysBothCounts()
    {
        var e = LoadBroken(TestModels.Color(Size, Size, classes: 4), TestModels.ColorLabels);

        Assert.Contains("outputs 4 classes but the manifest lists 3 labels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoProbabilitiesOutput_SaysSo()
    {
        var e = LoadBroken(TestModels.Color(Size, Size, outputName: "logits_out"), TestModels.ColorLabels);

        Assert.Contains("no output named 'probabilities'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAnOnnxFile_SaysOnnxRuntimeCannotLoadIt()
    {
        var garbage = "this is not a model"u8.ToArray();
        TestBundles.WriteRaw(_temp.Path, garbage, TestBundles.Manifest("v1", TestModels.ColorLabels, garbage, Size, Size));

        var e = Assert.Throws<ModelBundleException>(() => OnnxClassifier.Load(ModelBundle.Load(_temp.Path)));

        Assert.Contains("ONNX Runtime cannot load the model", e.Message, StringComparison.Ordinal);
    }

    private ModelBundleException LoadBroken(ModelProto model, IReadOnlyList<string> labels)
    {
        var bytes = model.ToByteArray();
        TestBundles.WriteRaw(_temp.Path, bytes, TestBundles.Manifest("v1", labels, bytes, Size, Size));
        return Assert.Throws<ModelBundleException>(() => OnnxClassifier.Load(ModelBundle.Load(_temp.Path)));
    }

    private static byte[] Solid(byte r, byte g, byte b) =>
        Enumerable.Range(0, Size * Size).SelectMany(_ => new[] { r, g, b }).ToArray();
}
