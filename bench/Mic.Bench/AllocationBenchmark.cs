using System.Diagnostics;
using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Models;

namespace Mic.Bench;

/// <summary>
/// Managed bytes allocated per classification (decode → resize → inference → top-k, Mic.Core's ImageClassifier, the
/// code the function runs per request), from the runtime's allocation counter over many calls after a warm-up.
/// Native memory (libvips' pixel buffers, ONNX Runtime's arena) is not in this figure; peak RSS in the side-by-side
/// run covers it.
/// </summary>
internal static class AllocationBenchmark
{
    public static int Run(string store, string inputs, int calls, TextWriter output)
    {
        var bundle = ModelBundle.Load(LatestBundle(store));
        using var model = OnnxClassifier.Load(bundle, new ClassifierOptions { IntraOpThreads = 2 });
        var classifier = new ImageClassifier(new ImageDecoder());
        output.WriteLine("| input | bytes | allocated per classification | gen0 / gen1 / gen2 GCs per 1,000 | classifications |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var file in BenchInputs.Uploads.Select(u => u.File))
        {
            var encoded = File.ReadAllBytes(Path.Combine(inputs, file));
            for (var i = 0; i < 20; i++)
            {
                classifier.Classify(model, encoded);
            }

            var gcs = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                classifier.Classify(model, encoded);
            }

            var perCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
            var perThousand = gcs.Select((g, generation) => (GC.CollectionCount(generation) - g) * 1000.0 / calls);
            output.WriteLine($"| {file} | {encoded.Length:N0} | {perCall / 1024:N1} KiB | {string.Join(" / ", perThousand.Select(c => c.ToString("F1")))} | {calls} in {watch.Elapsed.TotalSeconds:F1} s |");
        }

        return 0;
    }

    private static string LatestBundle(string store)
    {
        using var latest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(store, "models", "latest.json")));
        return Path.Combine(store, "models", latest.RootElement.GetProperty("version").GetString()!);
    }
}
