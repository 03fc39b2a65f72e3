using System.Diagnostics;
using Mic.Core.Inference;
using Mic.Core.Models;

namespace Mic.Bench;

/// <summary>
/// Two bundles of one model (fp32 and int8, or without and with test-time augmentation) side by side: file size and batch-1 inference, interleaved in one process
/// so machine noise hits both alike. Input: a blank image at the model's size (inference time does not depend on it).
/// </summary>
internal static class BundleComparison
{
    public static int Run(string fp32Directory, string int8Directory, int rounds, int threads, TextWriter output)
    {
        var bundles = new[] { ModelBundle.Load(fp32Directory), ModelBundle.Load(int8Directory) };
        var models = bundles.Select(b => OnnxClassifier.Load(b, new ClassifierOptions { IntraOpThreads = threads })).ToArray();
        try
        {
            var pixels = new byte[models[0].SampleBytes];
            var times = new[] { new List<double>(), new List<double>() };
            for (var round = 0; round < rounds; round++)
            {
                for (var k = 0; k < 2; k++)
                {
                    var m = (round + k) % 2; // alternate which model goes first
                    var start = Stopwatch.GetTimestamp();
                    models[m].Run(pixels, 1);
                    times[m].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            double Median(List<double> t) => t.Order().ElementAt(t.Count / 2);
            output.WriteLine($"{bundles[0].Manifest.Version}: {bundles[0].Manifest.Input.Width}x{bundles[0].Manifest.Input.Height}, {threads} thread(s), {rounds} interleaved rounds");
            output.WriteLine("| model | file bytes | accuracy (manifest) | batch-1 inference ms (median) |");
            output.WriteLine("|---|---|---|---|");
            for (var m = 0; m < 2; m++)
            {
                var manifest = bundles[m].Manifest;
                var model = manifest.Model.Precision + (manifest.TestTimeAugmentation is { } tta ? $" + {tta} TTA" : "");
                output.WriteLine($"| {model} | {manifest.Model.Bytes:N0} | {manifest.Metrics?.Accuracy:P2} | {Median(times[m]):F2} |");
            }

            output.WriteLine($"second/first: size {(double)bundles[1].Manifest.Model.Bytes / bundles[0].Manifest.Model.Bytes:P1}, inference time {Median(times[1]) / Median(times[0]):F2}x (speed-up {Median(times[0]) / Median(times[1]):F2}x)");
            return 0;
        }
        finally
        {
            foreach (var model in models)
            {
                model.Dispose();
            }
        }
    }
}
