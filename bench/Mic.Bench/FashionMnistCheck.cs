using System.Buffers.Binary;
using System.IO.Compression;
using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Mic.Bench;

/// <summary>
/// A served Fashion-MNIST model's accuracy on the official test set (10,000 images, read once) through the resize it
/// was trained with and through MIC's current one, side by side: ImageSharp's Triangle crop resize (what MIC used
/// before libvips, reproduced here) against <see cref="ImageResizer"/>. Fashion-MNIST comes as raw 28x28 grey pixels,
/// so only the resize differs.
/// </summary>
internal static class FashionMnistCheck
{
    private const int Side = 28;


    public static int Run(string bundleDirectory, string dataDirectory, TextWriter output)
    {
        var bundle = ModelBundle.Load(bundleDirectory);
        using var model = OnnxClassifier.Load(bundle, new ClassifierOptions { IntraOpThreads = 2 });
        var images = ReadIdx(Path.Combine(dataDirectory, "t10k-images-idx3-ubyte.gz"));
        var labels = ReadIdx(Path.Combine(dataDirectory, "t10k-labels-idx1-ubyte.gz"));
        var input = bundle.Manifest.Input;
        int correctOld = 0, correctNew = 0, disagree = 0;
        double difference = 0;
        var old = new byte[model.SampleBytes];
        var current = new byte[model.SampleBytes];
        var labelIndex = FashionLabels.Select(l => bundle.Manifest.Labels.ToList().IndexOf(l)).ToArray();
        for (var i = 0; i < labels.Length; i++)
        {
            var rgb = images.AsSpan(i * Side * Side, Side * Side).ToArray().SelectMany(v => new[] { v, v, v }).ToArray();
            ImageSharpTriangle(rgb, input, old);
            using (var image = DecodedImage.FromRgb(rgb, Side, Side))
            {
                ImageResizer.ResizeInto(image, input, current);
            }

            difference += old.Zip(current, (a, b) => Math.Abs(a - b)).Average();
            var a = Best(model.Run(old, 1));
            var b = Best(model.Run(current, 1));
            var expected = labelIndex[labels[i]];
            correctOld += a == expected ? 1 : 0;
            correctNew += b == expected ? 1 : 0;
            disagree += a != b ? 1 : 0;
        }

        output.WriteLine($"model {bundle.Manifest.Version} ({bundle.Manifest.Model.Precision}, {input.Width}x{input.Height}), Fashion-MNIST test set, {labels.Length:N0} images");
        output.WriteLine("| resize | accuracy |");
        output.WriteLine("|---|---|");
        output.WriteLine($"| ImageSharp Triangle (trained with) | {100.0 * correctOld / labels.Length:F2} % |");
        output.WriteLine($"| libvips (ImageResizer now) | {100.0 * correctNew / labels.Length:F2} % |");
        output.WriteLine($"difference {100.0 * (correctNew - correctOld) / labels.Length:+0.00;-0.00} points; top-1 answers differ on {disagree} images; mean pixel difference {difference / labels.Length:F3} levels");
        return 0;
    }

    // Fashion-MNIST's label numbers, named as mic-train names them (FashionMnistSource).
    private static readonly string[] FashionLabels =
        ["t-shirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];

    private static int Best(float[] probabilities) => Array.IndexOf(probabilities, probabilities.Max());

    private static void ImageSharpTriangle(byte[] rgb, ModelInput input, byte[] destination)
    {
        using var image = Image.LoadPixelData<Rgb24>(rgb, Side, Side);
        if (input.Width != Side || input.Height != Side)
        {
            image.Mutate(x => x.Resize(new ResizeOptions
            {
                Size = new Size(input.Width, input.Height),
                Mode = input.Resize == ResizePolicy.Stretch ? ResizeMode.Stretch : ResizeMode.Crop,
                Position = AnchorPositionMode.Center,
                Sampler = KnownResamplers.Triangle,
            }));
        }

        image.CopyPixelDataTo(destination);
    }

    private static byte[] ReadIdx(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var dimensions = BinaryPrimitives.ReadInt32BigEndian(bytes) & 0xff;
        return bytes[(4 + (4 * dimensions))..];
    }
}
