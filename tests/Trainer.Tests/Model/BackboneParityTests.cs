using Mic.Core.Inference;
using Mic.Trainer.Model;
using Mic.Trainer.OnnxToTorch;
using Onnx;
using static TorchSharp.torch;

namespace Mic.Trainer.Tests.Model;

/// <summary>The imported module, in eval mode, computes what ONNX Runtime computes on the same graph and input.</summary>
public sealed class BackboneParityTests
{
    private static readonly string ResNet18Path = Path.Combine(BackboneLoader.ModelDirectory, "ResNet18Onnx", "ResNet18.onnx");

    [Fact]
    public void Forward_OfflineResNet18_MatchesOnnxRuntime()
    {
        using var scope = NewDisposeScope();
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ResNet18Path));
        var input = (rand([1, 3, 224, 224], generator: new Generator(7)) * 255) - 120;

        using var module = OnnxGraphModule.Import(model);
        module.eval();
        using var noGrad = no_grad();
        var actual = module.forward(input).contiguous().data<float>().ToArray();

        var expected = OrtRunner.Run(model, module.Inputs[0], input);
        Assert.True(OrtRunner.RelativeError(actual, expected) <= 1e-4, $"relative error {OrtRunner.RelativeError(actual, expected)}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Forward_ClassifierGraphAt64Pixels_MatchesOnnxRuntime(bool channelsLast)
    {
        using var scope = NewDisposeScope();
        var backbone = await BackboneLoader.LoadAsync(BackboneLoader.OfflineResNet18, null, null, Path.GetTempPath(), CancellationToken.None);
        var graph = ClassifierGraph.Build(backbone, classes: 4, height: 64, width: 64, seed: 1);
        var pixels = randint(0, 256, [3, 64, 64, 3], generator: new Generator(3)).to_type(ScalarType.Byte);

        using var module = OnnxGraphModule.Import(graph, channelsLast);
        module.eval();
        using var noGrad = no_grad();
        var actual = module.forward(pixels).contiguous().data<float>().ToArray();

        var expected = OrtRunner.Run(graph, OnnxClassifier.InputName, pixels);
        Assert.True(OrtRunner.RelativeError(actual, expected) <= 1e-4, $"relative error {OrtRunner.RelativeError(actual, expected)}");
    }

    [Fact]
    public async Task Build_AtASizeTheBackboneCannotTake_SaysSoNamingTheSize()
    {
        using var scope = NewDisposeScope();
        var backbone = await BackboneLoader.LoadAsync(BackboneLoader.OfflineResNet18, null, null, Path.GetTempPath(), CancellationToken.None);

        // 40 px halves to 5 and then to 3 on one branch and 2 on the other: ONNX Runtime refuses it too.
        var error = Assert.Throws<InvalidDataException>(() => ClassifierGraph.Build(backbone, classes: 3, height: 40, width: 40, seed: 1));

        Assert.StartsWith("--image-size 40: the resnet18 backbone cannot take 40x40 images", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("multiples of 32 work", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_AfterChangingWeights_OnnxRuntimeSeesTheNewWeights()
    {
        using var scope = NewDisposeScope();
        var backbone = await BackboneLoader.LoadAsync(BackboneLoader.OfflineResNet18, null, null, Path.GetTempPath(), CancellationToken.None);
        var graph = ClassifierGraph.Build(backbone, classes: 3, height: 32, width: 32, seed: 1);
        var pixels = randint(0, 256, [2, 32, 32, 3], generator: new Generator(5)).to_type(ScalarType.Byte);
        using var module = OnnxGraphModule.Import(graph, channelsLast: true);
        using (no_grad())
        {
            foreach (var parameter in module.parameters())
            {
                parameter.mul_(1.01).add_(0.001);
            }
        }

        module.eval();
        using var noGrad = no_grad();
        var actual = module.forward(pixels).contiguous().data<float>().ToArray();
        var before = OrtRunner.Run(graph, OnnxClassifier.InputName, pixels);
        var after = OrtRunner.Run(module.Export(), OnnxClassifier.InputName, pixels);

        Assert.True(OrtRunner.RelativeError(actual, after) <= 1e-4, $"relative error {OrtRunner.RelativeError(actual, after)}");
        Assert.True(OrtRunner.RelativeError(actual, before) > 1e-3, "the export did not carry the changed weights");
    }
}
