using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Trainer.Data;

namespace Mic.Trainer.Bench;

/// <summary>
/// What flip test-time augmentation (fast.ai's <c>learn.tta</c> without its random crops) would add to a trained
/// bundle: accuracy on Fashion-MNIST's 10,000 test images as served (one pass), and with each image's probabilities
/// averaged with its mirror image's. Not part of MIC's serving; it measures whether building it is worth it.
/// Usage: Trainer.Bench flip-tta BUNDLE [FASHION_MNIST_DIR]
/// </summary>
internal static class FlipTta
{
    public static async Task<int> RunAsync(string[] args)
    {
        var bundle = ModelBundle.Load(args[0]);
        var input = bundle.Manifest.Input;
        var source = new FashionMnistSource(args.Length > 1 ? args[1] : FashionMnistSource.DefaultDirectory);
        var data = await DatasetLoader.LoadAsync(source, new DatasetOptions { Input = input, MaxTrain = 1 }, null, CancellationToken.None);
        var test = data.Valid;
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        using var session = new InferenceSession(bundle.ModelPath, options);
        var classes = bundle.Manifest.Labels.Count;
        const int batch = 100;
        int plain = 0, averaged = 0;
        for (var start = 0; start < test.Count; start += batch)
        {
            var count = Math.Min(batch, test.Count - start);
            var pixels = test.Pixels.AsSpan(start * test.SampleBytes, count * test.SampleBytes).ToArray();
            var served = Probabilities(session, pixels, count, input);
            var mirrored = Probabilities(session, Mirror(pixels, count, input), count, input);
            for (var i = 0; i < count; i++)
            {
                var target = test.Targets[start + i];
                plain += ArgMax(served.AsSpan(i * classes, classes)) == target ? 1 : 0;
                var sum = served.AsSpan(i * classes, classes).ToArray().Zip(mirrored.AsSpan(i * classes, classes).ToArray(), (a, b) => a + b).ToArray();
                averaged += ArgMax(sum) == target ? 1 : 0;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{bundle.Manifest.Version} ({bundle.Manifest.Model.Precision}): served {100.0 * plain / test.Count:F2} %, flip TTA {100.0 * averaged / test.Count:F2} % on {test.Count:N0} test images"));
        return 0;
    }

    private static float[] Probabilities(InferenceSession session, byte[] pixels, int count, ModelInput input)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(pixels, [count, input.Height, input.Width, 3]);
        using var run = new RunOptions();
        using var outputs = session.Run(run, [OnnxClassifier.InputName], [value], [OnnxClassifier.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Each NHWC RGB image mirrored left to right.</summary>
    private static byte[] Mirror(byte[] pixels, int count, ModelInput input)
    {
        var mirrored = new byte[pixels.Length];
        var row = input.Width * 3;
        for (var r = 0; r < count * input.Height; r++)
        {
            for (var x = 0; x < input.Width; x++)
            {
                pixels.AsSpan((r * row) + (x * 3), 3).CopyTo(mirrored.AsSpan((r * row) + ((input.Width - 1 - x) * 3), 3));
            }
        }

        return mirrored;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var c = 1; c < row.Length; c++)
        {
            best = row[c] > row[best] ? c : best;
        }

        return best;
    }
}
