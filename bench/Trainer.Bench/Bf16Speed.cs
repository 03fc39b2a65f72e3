using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Mic.Trainer.Bench;

/// <summary>
/// Would bfloat16 train faster on this CPU? The imported network's shape (<see cref="SameShapeResNet"/>), forward +
/// backward on one batch, channels_last, in float32 and in bfloat16 (weights and activations; oneDNN's AVX512-BF16
/// kernels where the CPU has them), alternating blocks so machine load hits both alike. Speed only: whether bfloat16
/// training keeps the accuracy is a separate question.
/// Usage: Trainer.Bench bf16 [size=64] [batch=64] [rounds=4] [stepsPerBlock=3]
/// </summary>
internal static class Bf16Speed
{
    public static int Run(string[] args)
    {
        var size = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
        var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        var steps = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        set_num_threads(Environment.ProcessorCount);
        random.manual_seed(1);
        var targets = randint(0, 10, [batch], generator: new Generator(3));
        var cases = new[] { ScalarType.Float32, ScalarType.BFloat16 }.Select(dtype =>
        {
            var model = new SameShapeResNet(10);
            ChannelsLastWeights.Apply(model);

            model.to(dtype).train();
            var input = randn([batch, size, size, 3], generator: new Generator(2)).to(dtype).permute(0, 3, 1, 2);
            return (Dtype: dtype, Model: model, Input: input, Times: new List<double>());
        }).ToArray();

        double Step((ScalarType Dtype, SameShapeResNet Model, Tensor Input, List<double> Times) c)
        {
            var start = Stopwatch.GetTimestamp();
            using var scope = NewDisposeScope();
            c.Model.zero_grad();
            var loss = F.cross_entropy(c.Model.forward(c.Input).to_type(ScalarType.Float32), targets);
            loss.backward();
            loss.item<float>();
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        foreach (var c in cases)
        {
            Step(c);
        }

        for (var r = 0; r < rounds; r++)
        {
            foreach (var c in cases)
            {
                for (var s = 0; s < steps; s++)
                {
                    c.Times.Add(Step(c));
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"size {size} batch {batch} threads {get_num_threads()}, forward+backward, {rounds * steps} steps each"));
        foreach (var c in cases)
        {
            var median = GpuSteps.Median(c.Times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Dtype,-9} median {median * 1000,7:F0} ms/step = {batch / median,6:F1} img/s"));
        }

        var fp32 = GpuSteps.Median(cases[0].Times);
        var bf16 = GpuSteps.Median(cases[1].Times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  bfloat16 / float32 step time: {bf16 / fp32:F3}"));
        return 0;
    }
}
