using Mic.Trainer.OnnxToTorch;
using Onnx;
using static Mic.Onnx.OnnxNodes;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Mic.Trainer.Tests.OnnxToTorch;

/// <summary>
/// 1×1 convolutions on channels_last input — every ResNet's downsample shortcut, and most of ResNet50 — forward and
/// backward, at the channel counts where libtorch 2.10's oneDNN convolution goes wrong on AMD Zen 5 CPUs (a relative
/// error of ~0.3–0.6 from 256 input channels up, found when the classifier graph at 64 px stopped matching ONNX Runtime;
/// at stride 2 it can crash the process). The forward must match ONNX Runtime, the gradients a float64 NCHW convolution's.
/// </summary>
public sealed class PointwiseConvTests
{
    [Theory]
    [InlineData(3, 256, 512, 4, 2)] // the offline ResNet18's last downsample at 64 px
    [InlineData(3, 256, 512, 4, 1)]
    [InlineData(2, 2048, 512, 2, 1)] // a ResNet50 bottleneck's reduction
    [InlineData(3, 64, 128, 8, 2)]
    [InlineData(2, 512, 1024, 14, 2)] // crashes libtorch's channels_last convolution here
    public void Conv1x1_ChannelsLast_MatchesOnnxRuntimeAndFloat64Gradients(int batch, int channels, int outputs, int size, int stride)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var weight = randn([outputs, channels, 1, 1], generator: generator) * 0.05f;
        var bias = randn([outputs], generator: generator);
        var model = new ModelProto
        {
            IrVersion = 7,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 13 } },
            Graph = new GraphProto
            {
                Name = "pointwise",
                Input = { Value("x", TensorProto.Types.DataType.Float, null, channels, size, size) },
                Output = { Value("y", TensorProto.Types.DataType.Float, null, outputs, null, null) },
                Initializer =
                {
                    Floats("w", [outputs, channels, 1, 1], weight.data<float>().ToArray()),
                    Floats("b", [outputs], bias.data<float>().ToArray()),
                },
                Node = { Node("Conv", ["x", "w", "b"], ["y"], Ints("kernel_shape", 1, 1), Ints("strides", stride, stride)) },
            },
        };
        var x = randn([batch, size, size, channels], generator: generator).permute(0, 3, 1, 2); // channels_last strides
        using var module = OnnxGraphModule.Import(model, channelsLast: true);
        var input = x.detach().requires_grad_(true);
        var y = module.forward(input);

        var expected = OrtRunner.Run(model, "x", x.contiguous());
        var actual = y.detach().contiguous().data<float>().ToArray();
        Assert.True(OrtRunner.RelativeError(actual, expected) <= 1e-5, $"forward: relative error {OrtRunner.RelativeError(actual, expected)}");

        var upstream = randn(y.shape, generator: generator);
        (y * upstream).sum().backward();
        var w64 = weight.to_type(ScalarType.Float64).requires_grad_(true);
        var b64 = bias.to_type(ScalarType.Float64).requires_grad_(true);
        var x64 = x.contiguous().to_type(ScalarType.Float64).requires_grad_(true);
        var y64 = F.conv2d(x64, w64, b64, [stride, stride], [0, 0], [1, 1], 1);
        (y64 * upstream.to_type(ScalarType.Float64)).sum().backward();
        var parameters = module.parameters().ToArray();
        var gradients = new (string Name, Tensor Actual, Tensor Expected)[]
        {
            ("input", input.grad!, x64.grad!),
            ("weight", parameters.Single(p => p.dim() == 4).grad!, w64.grad!),
            ("bias", parameters.Single(p => p.dim() == 1).grad!, b64.grad!),
        };
        foreach (var (name, got, want) in gradients)
        {
            var error = OrtRunner.RelativeError(got.contiguous().data<float>().ToArray(),
                want.to_type(ScalarType.Float32).contiguous().data<float>().ToArray());
            Assert.True(error <= 1e-4, $"{name} gradient: relative error {error}");
        }
    }
}
