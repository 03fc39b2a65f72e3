using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Mic.Bench;

internal static class ServingBenchmark
{
    public static int Run(int iterations, int threads, TextWriter output)
    {
        using var temp = new TempDirectory();
        var bundle = ResNet18Bundles.NearestCentroid(temp.Combine("bundle"));
        using var model = OnnxClassifier.Load(bundle, new ClassifierOptions { IntraOpThreads = threads });
        var classifier = new ImageClassifier(new ImageDecoder());

        var inputs = new (string Name, byte[] Bytes)[]
        {
            ("JPEG 640x480 (mate Garden.jpg, q90)", Jpeg(TestAssets.MateBackground("nature/Garden.jpg"), 640, 480)),
            ("JPEG 4032x3024 (mate Elephants_5640x3172.jpg, q90)", Jpeg(TestAssets.MateBackground("abstract/Elephants_5640x3172.jpg"), 4032, 3024)),
            ("PNG 741x500 (skimage motorcycle_left.png)", File.ReadAllBytes(TestAssets.Skimage("motorcycle_left.png"))),
        };

        output.WriteLine($"ResNet18 224x224 fp32, ONNX Runtime intra-op threads {threads}, {iterations} runs each after 5 warm-up runs");
        output.WriteLine($"{Environment.ProcessorCount} logical cores, .NET {Environment.Version}");
        output.WriteLine();
        output.WriteLine("| input | bytes | decode ms (median / p90) | resize ms | inference ms | total ms |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, bytes) in inputs)
        {
            for (var i = 0; i < 5; i++)
            {
                classifier.Classify(model, bytes);
            }

            var runs = Enumerable.Range(0, iterations).Select(_ => classifier.Classify(model, bytes).Timings).ToArray();
            output.WriteLine($"| {name} | {bytes.Length:N0} | {Stat(runs, t => t.DecodeMs)} | {Stat(runs, t => t.ResizeMs)} | " +
                $"{Stat(runs, t => t.InferenceMs)} | {Stat(runs, t => t.TotalMs)} |");
        }

        return 0;
    }

    private static string Stat(StageTimings[] runs, Func<StageTimings, double> pick)
    {
        var sorted = runs.Select(pick).Order().ToArray();
        return $"{sorted[sorted.Length / 2]:F1} / {sorted[(int)(sorted.Length * 0.9)]:F1}";
    }

    private static byte[] Jpeg(string source, int width, int height)
    {
        using var image = Image.Load<Rgb24>(source);
        image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(width, height), Mode = ResizeMode.Crop }));
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = 90 });
        return output.ToArray();
    }
}
