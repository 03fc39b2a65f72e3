using System.Diagnostics;
using System.Globalization;
using Mic.Trainer.Model;
using Mic.Trainer.OnnxToTorch;
using Mic.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Mic.Trainer.Bench;

/// <summary>
/// Where a training step's time goes, on any device: the Learner's own step (batch assembled from cached bytes,
/// upload, augmentation, forward + backward, AdamW, loss read back) timed phase by phase with a device sync after
/// each, then run as the Learner runs it (no syncs but the loss read-back), next to TorchSharp's own torchvision
/// resnet18 on the same batch (forward + backward + AdamW, channels_last).
/// Usage: Trainer.Bench steps BACKBONE.onnx [size=64] [batch=128] [device=cuda] [steps=30]
/// </summary>
internal static class GpuSteps
{
    private static readonly string[] Phases = ["assemble (CPU)", "upload", "augment", "forward+backward", "AdamW step", "loss.item"];

    public static async Task<int> RunAsync(string[] args)
    {
        var size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        var batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 128;
        var device = TorchDevices.Resolve(args.Length > 3 ? args[3] : "cuda");
        var steps = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 30;
        TorchDevices.Prepare(device, 1);
        void Sync()
        {
            if (device.type == DeviceType.CUDA)
            {
                cuda.synchronize();
            }
        }

        var backbone = await BackboneLoader.LoadAsync(args[0], "imagenet", null, Path.GetTempPath(), CancellationToken.None);
        using var module = OnnxGraphModule.Import(ClassifierGraph.Build(backbone, 10, size, size, 1), channelsLast: true).MoveTo(device);
        module.train();
        var optimizer = optim.AdamW(module.parameters(), 1e-4);
        var augmenter = new Augmenter(Augmentation.Default, 1);
        var sampleBytes = size * size * 3;
        var random = new Random(1);
        var cache = Enumerable.Range(0, 512).Select(_ =>
        {
            var sample = new byte[sampleBytes];
            random.NextBytes(sample);
            return sample;
        }).ToArray();
        var targets = tensor(Enumerable.Range(0, batch).Select(i => (long)(i % 10)).ToArray()).to(device);

        // One step exactly as Learner.FitOneCycle takes it; with sync, each phase's time is recorded.
        double[] Step(bool sync)
        {
            var times = new double[Phases.Length];
            var mark = Stopwatch.GetTimestamp();
            void Lap(int phase)
            {
                if (sync)
                {
                    Sync();
                }

                times[phase] = Stopwatch.GetElapsedTime(mark).TotalMilliseconds;
                mark = Stopwatch.GetTimestamp();
            }

            using var scope = NewDisposeScope();
            var bytes = new byte[batch * sampleBytes];
            for (var i = 0; i < batch; i++)
            {
                cache[random.Next(cache.Length)].CopyTo(bytes.AsSpan(i * sampleBytes));
            }

            Lap(0);
            var pixels = tensor(bytes, [batch, size, size, 3]).to(device);
            Lap(1);
            var x = augmenter.Apply(pixels);
            Lap(2);
            var loss = F.cross_entropy(module.Run(x, ClassifierGraph.Logits), targets);
            optimizer.zero_grad();
            loss.backward();
            Lap(3);
            optimizer.step();
            Lap(4);
            loss.item<float>();
            Lap(5);
            return times;
        }

        for (var i = 0; i < 5; i++)
        {
            Step(sync: true);
        }

        var synced = Enumerable.Range(0, steps).Select(_ => Step(sync: true)).ToArray();
        var plain = Enumerable.Range(0, steps).Select(_ => Step(sync: false).Sum()).ToArray();

        using var reference = torchvision.models.resnet18(num_classes: 10).to(device);
        reference.train();
        ChannelsLastWeights.Apply(reference);

        var referenceOptimizer = optim.AdamW(reference.parameters(), 1e-4);
        var input = randn([batch, size, size, 3], device: device).permute(0, 3, 1, 2);
        double ReferenceStep()
        {
            var start = Stopwatch.GetTimestamp();
            using var scope = NewDisposeScope();
            var loss = F.cross_entropy(reference.forward(input), targets);
            referenceOptimizer.zero_grad();
            loss.backward();
            referenceOptimizer.step();
            loss.item<float>();
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        for (var i = 0; i < 5; i++)
        {
            ReferenceStep();
        }

        var referenceTimes = Enumerable.Range(0, steps).Select(_ => ReferenceStep()).ToArray();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"device {device} size {size} batch {batch}, {steps} steps each, medians"));
        for (var p = 0; p < Phases.Length; p++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Phases[p],-18} {Median(synced.Select(t => t[p])),8:F2} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"sum (synced)",-18} {Median(synced.Select(t => t.Sum())),8:F2} ms"));
        var learner = Median(plain);
        var torchvisionStep = Median(referenceTimes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Learner step as run (no extra syncs): {learner:F2} ms = {batch * 1000 / learner:F0} img/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"TorchSharp torchvision resnet18 step (fwd+bwd+AdamW, data resident): {torchvisionStep:F2} ms = {batch * 1000 / torchvisionStep:F0} img/s"));
        return 0;
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
