using System.Diagnostics;
using System.Globalization;
using Mic.Trainer.Cli;
using Mic.Trainer.Model;
using Mic.Trainer.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

// Training speed of the imported ONNX ResNet18 against TorchSharp's own torchvision resnet18 on the same batch:
// forward + backward + AdamW step, channels_last for both, alternating blocks so machine load hits both alike.
// Usage: Trainer.Bench [size=64] [batch=64] [rounds=6] [stepsPerBlock=5] [threads=cores] [step|backward]
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

var backbone = await BackboneLoader.LoadAsync(BackboneLoader.OfflineResNet18, null, null, Path.GetTempPath(), CancellationToken.None);
using var imported = OnnxGraphModule.Import(ClassifierGraph.Build(backbone, 10, size, size, 1), channelsLast: true);
// The offline CNTK ResNet18 has 2-2-2-3 basic blocks (22 convs, ~12% more conv work than torchvision's 2-2-2-2 with
// 20 convs); TorchSharp's ResNet.BasicBlock is not public, so the comparison is with resnet18 as it is.
using var reference = torchvision.models.resnet18(num_classes: 10);
foreach (var module in reference.modules().OfType<Conv2d>())
{
    module.weight = new Parameter(module.weight!.detach().permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2));
}

imported.train();
reference.train();
var pixels = randint(0, 256, [batch, size, size, 3], generator: new Generator(2)).to_type(ScalarType.Float32);
var nchw = (pixels / 255).permute(0, 3, 1, 2); // channels_last view, as the imported graph's transpose gives
var targets = randint(0, 10, [batch], generator: new Generator(3));
var importedOptimizer = optim.AdamW(imported.parameters(), 1e-4);
var referenceOptimizer = optim.AdamW(reference.parameters(), 1e-4);

// "backward" measures forward + backward only: the CNTK model has ~46% more parameters (its extra 512-channel block
// and the fast.ai head), which the optimizer step pays for regardless of how the graph is executed.
var withOptimizer = !(args.Length > 5 && args[5] == "backward");
var importedCpu = new List<double>();
var referenceCpu = new List<double>();

double Step(Func<Tensor> forward, optim.Optimizer optimizer, List<double>? cpu = null)
{
    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    var start = Stopwatch.GetTimestamp();
    using var scope = NewDisposeScope();
    var loss = F.cross_entropy(forward(), targets);
    optimizer.zero_grad();
    loss.backward();
    if (withOptimizer)
    {
        optimizer.step();
    }

    loss.item<float>();
    cpu?.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
    return Stopwatch.GetElapsedTime(start).TotalSeconds;
}

Tensor ImportedForward() => imported.Run(pixels, ClassifierGraph.Logits);
Tensor ReferenceForward() => reference.forward(nchw);

for (var i = 0; i < 2; i++)
{
    Step(ImportedForward, importedOptimizer);
    Step(ReferenceForward, referenceOptimizer);
}

var importedTimes = new List<double>();
var referenceTimes = new List<double>();
for (var r = 0; r < rounds; r++)
{
    for (var s = 0; s < steps; s++)
    {
        importedTimes.Add(Step(ImportedForward, importedOptimizer, importedCpu));
    }

    for (var s = 0; s < steps; s++)
    {
        referenceTimes.Add(Step(ReferenceForward, referenceOptimizer, referenceCpu));
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

var importedMedian = Median(importedTimes);
var referenceMedian = Median(referenceTimes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"size {size} batch {batch} threads {get_num_threads()} steps {importedTimes.Count} each, {(withOptimizer ? "forward+backward+AdamW" : "forward+backward")}; parameters {imported.parameters().Sum(p => p.numel()):N0} vs {reference.parameters().Sum(p => p.numel()):N0}; GLIBC_TUNABLES={Environment.GetEnvironmentVariable("GLIBC_TUNABLES")}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"imported ONNX ResNet18 (fast.ai head): median {importedMedian * 1000:F0} ms/step = {batch / importedMedian:F1} images/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"torchvision.models.resnet18:          median {referenceMedian * 1000:F0} ms/step = {batch / referenceMedian:F1} images/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio imported/torchvision wall time per step: {importedMedian / referenceMedian:F3}"));
// CPU seconds per step do not count time spent waiting for a core, so they compare the two fairly on a busy machine.
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"CPU seconds per step (median): imported {Median(importedCpu):F3}, torchvision {Median(referenceCpu):F3}, ratio {Median(importedCpu) / Median(referenceCpu):F3}"));
return 0;
