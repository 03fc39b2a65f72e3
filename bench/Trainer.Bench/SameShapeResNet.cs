using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mic.Trainer.Bench;

/// <summary>
/// A native TorchSharp ResNet with the offline CNTK ResNet18's shape: torchvision's stem and BasicBlock, but 2-2-2-3
/// blocks (22 convs) instead of 2-2-2-2, and the fast.ai head the trainer attaches (concat pooling, BatchNorm,
/// Dropout 0.25, Linear 1024 → 512, ReLU, BatchNorm, Dropout 0.5, Linear 512 → classes). Same work as the imported
/// graph, written the way a TorchSharp user would, so the bench can tell the import's own cost from the architecture's.
/// </summary>
internal sealed class SameShapeResNet : Module<Tensor, Tensor>
{
    private readonly Sequential body;
    private readonly AdaptiveMaxPool2d maxPool = AdaptiveMaxPool2d([1, 1]);
    private readonly AdaptiveAvgPool2d avgPool = AdaptiveAvgPool2d(1);
    private readonly Sequential head;

    public SameShapeResNet(int classes) : base(nameof(SameShapeResNet))
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>
        {
            ("conv1", Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false)),
            ("bn1", BatchNorm2d(64)),
            ("relu", ReLU(inplace: true)),
            ("maxpool", MaxPool2d(3, stride: 2, padding: 1)),
        };
        var channels = 64;
        int[] widths = [64, 128, 256, 512];
        int[] blocks = [2, 2, 2, 3];
        for (var stage = 0; stage < widths.Length; stage++)
        {
            for (var b = 0; b < blocks[stage]; b++)
            {
                var stride = stage > 0 && b == 0 ? 2 : 1;
                layers.Add(($"layer{stage + 1}_{b}", new BasicBlock(channels, widths[stage], stride)));
                channels = widths[stage];
            }
        }

        body = Sequential(layers);
        head = Sequential(
            Flatten(),
            BatchNorm1d(2 * channels),
            Dropout(0.25),
            Linear(2 * channels, 512),
            ReLU(inplace: true),
            BatchNorm1d(512),
            Dropout(0.5),
            Linear(512, classes));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var features = body.forward(input);
        using var max = maxPool.forward(features);
        using var avg = avgPool.forward(features);
        using var pooled = cat([max, avg], 1);
        return head.forward(pooled);
    }

    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;
        private readonly Sequential? downsample;

        public BasicBlock(int input, int output, int stride) : base(nameof(BasicBlock))
        {
            conv1 = Conv2d(input, output, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(output);
            conv2 = Conv2d(output, output, 3, stride: 1, padding: 1, bias: false);
            bn2 = BatchNorm2d(output);
            if (stride != 1 || input != output)
            {
                downsample = Sequential(Conv2d(input, output, 1, stride: stride, bias: false), BatchNorm2d(output));
            }

            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var a = conv1.forward(input);
            using var b = bn1.forward(a);
            using var c = functional.relu(b, inplace: true);
            using var d = conv2.forward(c);
            var e = bn2.forward(d);
            using var identity = downsample is null ? input.alias() : downsample.forward(input);
            e.add_(identity);
            return functional.relu(e, inplace: true);
        }
    }
}

/// <summary>The trainer's channels_last convolution weights on a native TorchSharp model, so it runs like the import.</summary>
internal static class ChannelsLastWeights
{
    public static void Apply(params Module[] models)
    {
        foreach (var conv in models.SelectMany(m => m.modules()).OfType<Conv2d>())
        {
            conv.weight = new Parameter(Mic.Trainer.OnnxToTorch.OnnxGraphModule.ChannelsLast(conv.weight!.detach()));
        }
    }
}
