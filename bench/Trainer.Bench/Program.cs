using System.Diagnostics;
using System.Globalization;
using Mic.Trainer.Cli;
using Mic.Trainer.Model;
using Mic.Trainer.Bench;
using Mic.Trainer.OnnxToTorch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

// Training speed of the imported ONNX ResNet18 against TorchSharp's own torchvision resnet18 on the same batch:
// forward + backward + AdamW step, channels_last for all, alternating blocks so machine load hits all alike.
// Usage: Trainer.Bench [size=64] [batch=64] [rounds=6] [stepsPerBlock=5] [threads=cores] [step|backward] [mkldnn|no-mkldnn]
// Usage: Trainer.Bench flip-tta BUNDLE [FASHION_MNIST_DIR] (see FlipTta)
// Usage: Trainer.Bench steps BACKBONE.onnx [size] [batch] [device] [steps] (see GpuSteps)
if (args.Length > 0 && args[0] == "flip-tta")
{
    return await FlipTta.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "steps")
{
    return await GpuSteps.RunAsync(args[1..]);
}

// Usage: Trainer.Bench bf16 [size] [batch] [rounds] [stepsPerBlock] (see Bf16Speed)
if (args.Length > 0 && args[0] == "bf16")
{
    return MallocTuning.ShouldReExec(["train"]) ? MallocTuning.ReExec(args) : Bf16Speed.Run(args[1..]);
}

if (MallocTuning.ShouldReExec(["train"]))
{
    return MallocTuning.ReExec(args);
}

var size = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 6;
var steps = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
var threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
set_num_threads(threads);
random.manual_seed(1);

// "no-mkldnn" turns libtorch's oneDNN convolutions off (they fall back to im2col + GEMM), to see whether oneDNN's
// weight-gradient kernels at tiny spatial sizes are what makes small images train slowly. TorchSharp has no switch for
// it, so this calls at::globalContext().setUserEnabledMkldnn(false) in libtorch_cpu directly (bench only).
var oneDnn = !(args.Length > 6 && args[6] == "no-mkldnn");
if (!oneDnn)
{
    SetUserEnabledMkldnn(GlobalContext(), enabled: 0);
}

[System.Runtime.InteropServices.DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
static extern IntPtr GlobalContext();

[System.Runtime.InteropServices.DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
static extern void SetUserEnabledMkldnn(IntPtr context, byte enabled);

var backbone = await BackboneLoader.LoadAsync(BackboneLoader.OfflineResNet18, null, null, Path.GetTempPath(), CancellationToken.None);
using var imported = OnnxGraphModule.Import(ClassifierGraph.Build(backbone, 10, size, size, 1), channelsLast: true);
// The offline CNTK ResNet18 has 2-2-2-3 basic blocks (22 convs, ~10% more conv work than torchvision's 2-2-2-2 with
// 20 convs) and the fast.ai head: 16.4 M parameters against resnet18's 11.2 M. So the bench runs three models: the
// imported graph, torchvision's resnet18 as it is, and a native TorchSharp ResNet of the imported graph's own shape
// (SameShapeResNet), which tells the import's cost apart from the architecture's.
using var reference = torchvision.models.resnet18(num_classes: 10);
using var sameShape = new SameShapeResNet(10);
ChannelsLastWeights.Apply(reference, sameShape);

var pixels = randint(0, 256, [batch, size, size, 3], generator: new Generator(2)).to_type(ScalarType.Float32);
var nchw = (pixels / 255).permute(0, 3, 1, 2); // channels_last view, as the imported graph's transpose gives
var targets = randint(0, 10, [batch], generator: new Generator(3));

// "backward" measures forward + backward only, without the optimizer step (which scales with the parameter count).
var withOptimizer = !(args.Length > 5 && args[5] == "backward");
BenchModel[] models =
[
    new("imported ONNX ResNet18 (fast.ai head)", imported, () => imported.Run(pixels, ClassifierGraph.Logits)),
    new("torchvision.models.resnet18", reference, () => reference.forward(nchw)),
    new("native TorchSharp, same shape", sameShape, () => sameShape.forward(nchw)),
];

double Step(BenchModel model, bool record)
{
    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    var start = Stopwatch.GetTimestamp();
    using (NewDisposeScope())
    {
        var loss = F.cross_entropy(model.Forward(), targets);
        model.Optimizer.zero_grad();
        loss.backward();
        if (withOptimizer)
        {
            model.Optimizer.step();
        }

        loss.item<float>();
    }

    var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
    if (record)
    {
        model.Wall.Add(wall);
        model.Cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
    }

    return wall;
}

foreach (var model in models)
{
    Step(model, record: false);
    Step(model, record: false);
}

// Alternating blocks, so machine load hits all models alike.
for (var r = 0; r < rounds; r++)
{
    foreach (var model in models)
    {
        for (var s = 0; s < steps; s++)
        {
            Step(model, record: true);
        }
    }
}

var baseline = models[0];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"size {size} batch {batch} threads {get_num_threads()} steps {baseline.Wall.Count} each, {(withOptimizer ? "forward+backward+AdamW" : "forward+backward")}, oneDNN {(oneDnn ? "on" : "off")}; GLIBC_TUNABLES={Environment.GetEnvironmentVariable("GLIBC_TUNABLES")}"));
foreach (var model in models)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{model.Name,-40} {model.Parameters,12:N0} params  median {model.WallMedian * 1000,6:F0} ms/step = {batch / model.WallMedian,6:F1} img/s  CPU {model.CpuMedian:F3} s/step"));
}

// CPU seconds per step do not count time spent waiting for a core, so they compare the models fairly on a busy machine.
foreach (var model in models.Skip(1))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ratio imported / {model.Name}: wall {baseline.WallMedian / model.WallMedian:F3}, CPU {baseline.CpuMedian / model.CpuMedian:F3}"));
}

return 0;

internal sealed class BenchModel
{
    public BenchModel(string name, nn.Module module, Func<Tensor> forward)
    {
        Name = name;
        Forward = forward;
        module.train();
        Parameters = module.parameters().Sum(p => p.numel());
        Optimizer = optim.AdamW(module.parameters(), 1e-4);
    }

    public string Name { get; }

    public Func<Tensor> Forward { get; }

    public long Parameters { get; }

    public optim.Optimizer Optimizer { get; }

    public List<double> Wall { get; } = [];

    public List<double> Cpu { get; } = [];

    public double WallMedian => Median(Wall);

    public double CpuMedian => Median(Cpu);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
