using Mic.Core.Inference;
using Mic.Quantization;
using Mic.Trainer.Export;
using Mic.Trainer.Model;
using Onnx;
using static Mic.Onnx.OnnxNodes;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Trainer.Tests.Packaging;

/// <summary>
/// The flip-TTA wrapper: the wrapped model's answer for an image is the mean of the original model's answers for the
/// image and for its left-right mirror, in one call, under the same contract — also after int8 quantization.
/// </summary>
public sealed class TestTimeFlipTests
{
    private const int Size = 8;

    [Fact]
    public void Apply_LeftRightClassifier_AveragesEachImageWithItsMirror()
    {
        var model = LeftRightModel();
        var wrapped = TestTimeFlip.Apply(model, classes: 2);
        var images = RandomImages(count: 3, Size, seed: 5);

        var plain = Run(model, images, 3, Size);
        var mirrored = Run(model, Mirror(images, Size), 3, Size);
        var actual = Run(wrapped, images, 3, Size);

        var expected = plain.Zip(mirrored, (a, b) => (a + b) / 2).ToArray();
        Assert.True(OrtRunner.RelativeError(actual, expected) <= 1e-6, $"relative error {OrtRunner.RelativeError(actual, expected)}");
        // The model tells left from right, so the mirror changes its answer and the test cannot pass by echoing it.
        Assert.True(OrtRunner.RelativeError(plain, expected) > 1e-3, "the mirror did not change the answer");
    }

    [Fact]
    public void Apply_ImageBrightOnTheLeftOnly_IsHalfLeftHalfRight()
    {
        var model = LeftRightModel();
        var image = new byte[Size * Size * 3];
        for (var y = 0; y < Size; y++)
        {
            image.AsSpan(y * Size * 3, Size / 2 * 3).Fill(255);
        }

        var plain = Run(model, image, 1, Size);
        var wrapped = Run(TestTimeFlip.Apply(model, classes: 2), image, 1, Size);

        Assert.True(plain[0] > 0.99f, $"p(left) = {plain[0]}");
        Assert.Equal(0.5f, wrapped[0], 5);
        Assert.Equal(0.5f, wrapped[1], 5);
    }

    [Fact]
    public void Apply_KeepsTheContractAndMarksTheModel_AndRefusesASecondWrap()
    {
        var model = LeftRightModel();
        var wrapped = TestTimeFlip.Apply(model, classes: 2);

        Assert.False(TestTimeFlip.IsApplied(model));
        Assert.True(TestTimeFlip.IsApplied(wrapped));
        Assert.Equal([OnnxClassifier.InputName], wrapped.Graph.Input.Select(i => i.Name));
        Assert.Equal([OnnxClassifier.OutputName], wrapped.Graph.Output.Select(o => o.Name));
        Assert.Equal("Slice", wrapped.Graph.Node[0].OpType);
        var error = Assert.Throws<InvalidDataException>(() => TestTimeFlip.Apply(wrapped, classes: 2));
        Assert.Contains("already averages over its mirror image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ModelWithoutTheContractInput_SaysWhatIsMissing()
    {
        var model = LeftRightModel();
        model.Graph.Input[0].Name = "image";
        model.Graph.Node[0].Input[0] = "image";

        var error = Assert.Throws<InvalidDataException>(() => TestTimeFlip.Apply(model, classes: 2));

        Assert.Contains("'pixels' input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_Opset18Model_PassesTheAxisAsAnInput()
    {
        // ReduceMean took its axes as an attribute until opset 18 and as an input since.
        var model = LeftRightModel();
        model.OpsetImport[0].Version = 18;
        model.Graph.Node.Single(n => n.OpType == "ReduceMean").Attribute.Clear();
        model.Graph.Initializer.Add(Longs("mean_axes", [2], [1, 3]));
        model.Graph.Node.Single(n => n.OpType == "ReduceMean").Input.Add("mean_axes");
        model.Graph.Node.Single(n => n.OpType == "ReduceMean").Attribute.Add(Int("keepdims", 0));
        var images = RandomImages(count: 2, Size, seed: 9);

        var wrapped = TestTimeFlip.Apply(model, classes: 2);

        var expected = Run(model, images, 2, Size).Zip(Run(model, Mirror(images, Size), 2, Size), (a, b) => (a + b) / 2).ToArray();
        Assert.True(OrtRunner.RelativeError(Run(wrapped, images, 2, Size), expected) <= 1e-6);
    }

    [Fact]
    public async Task Apply_ResNet18ClassifierThenInt8_StaysAnAverageOverBothViews()
    {
        const int Px = 32;
        var backbone = await BackboneLoader.LoadAsync(BackboneLoader.OfflineResNet18, null, null, Path.GetTempPath(), CancellationToken.None);
        var model = ClassifierGraph.Build(backbone, classes: 4, height: Px, width: Px, seed: 1);
        var images = RandomImages(count: 4, Px, seed: 3);
        var wrapped = TestTimeFlip.Apply(model, classes: 4);

        var expected = Run(model, images, 4, Px).Zip(Run(model, Mirror(images, Px), 4, Px), (a, b) => (a + b) / 2).ToArray();
        Assert.True(OrtRunner.RelativeError(Run(wrapped, images, 4, Px), expected) <= 1e-5);

        // The int8 quantizer leaves the flip, the concat and the mean in place: the answer for an image and for its
        // mirror is the same average.
        var calibration = new CalibrationData(Px, Px, Enumerable.Range(0, 4).Select(i => (ReadOnlyMemory<byte>)images.AsMemory(i * Px * Px * 3, Px * Px * 3)));
        var quantized = QdqQuantizer.Quantize(wrapped, calibration, new QuantizationOptions()).Model;
        Assert.True(TestTimeFlip.IsApplied(quantized));
        Assert.Contains(quantized.Graph.Node, n => n.OpType == "QuantizeLinear");
        var int8 = Run(quantized, images, 4, Px);
        var int8Mirrored = Run(quantized, Mirror(images, Px), 4, Px);
        Assert.True(OrtRunner.RelativeError(int8Mirrored, int8) <= 1e-6, $"relative error {OrtRunner.RelativeError(int8Mirrored, int8)}");
        Assert.True(OrtRunner.RelativeError(int8, expected) <= 0.1, $"int8 against fp32: relative error {OrtRunner.RelativeError(int8, expected)}");
    }

    /// <summary>
    /// <c>pixels</c> [N, 8, 8, 3] → mean over rows and channels → one value per column → left half's sum − right half's
    /// (×0.5) and the reverse → softmax: p(left) is high when the left half is brighter.
    /// </summary>
    private static ModelProto LeftRightModel()
    {
        var weights = new float[Size * 2];
        for (var x = 0; x < Size; x++)
        {
            var sign = x < Size / 2 ? 1f : -1f;
            weights[(x * 2) + 0] = 0.5f * sign;
            weights[(x * 2) + 1] = -0.5f * sign;
        }

        var graph = new GraphProto { Name = "left-right" };
        graph.Input.Add(Value(OnnxClassifier.InputName, DataType.Uint8, null, Size, Size, 3));
        graph.Output.Add(Value(OnnxClassifier.OutputName, DataType.Float, null, 2));
        graph.Initializer.Add(Floats("columns_to_sides", [Size, 2], weights));
        graph.Node.Add(Node("Cast", [OnnxClassifier.InputName], ["x"], Int("to", (long)DataType.Float)));
        graph.Node.Add(Node("ReduceMean", ["x"], ["columns"], Ints("axes", 1, 3), Int("keepdims", 0)));
        graph.Node.Add(Node("MatMul", ["columns", "columns_to_sides"], ["sides"]));
        graph.Node.Add(Node("Softmax", ["sides"], [OnnxClassifier.OutputName], Int("axis", 1)));
        return OnnxGraph.Model(graph);
    }

    private static byte[] RandomImages(int count, int size, int seed)
    {
        var bytes = new byte[count * size * size * 3];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Each NHWC RGB image mirrored left to right, pixel by pixel.</summary>
    private static byte[] Mirror(byte[] images, int size)
    {
        var mirrored = new byte[images.Length];
        for (var row = 0; row < images.Length / (size * 3); row++)
        {
            for (var x = 0; x < size; x++)
            {
                images.AsSpan((row * size * 3) + (x * 3), 3).CopyTo(mirrored.AsSpan((row * size * 3) + ((size - 1 - x) * 3), 3));
            }
        }

        return mirrored;
    }

    private static float[] Run(ModelProto model, byte[] images, int count, int size)
    {
        using var scope = NewDisposeScope();
        return OrtRunner.Run(model, OnnxClassifier.InputName, tensor(images, [count, size, size, 3]));
    }
}
