using Google.Protobuf;
using Mic.Core.Imaging;
using Mic.Core.Models;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.TestSupport;

/// <summary>
/// A real ResNet18 bundle whose answers are predictable: its head is a nearest-centroid classifier over the pooled
/// features of five real photos (motorcycle, cat, coffee, rocket, astronaut), so another view of one of them should
/// land on its label. Built once per test run.
/// </summary>
public static class ResNet18Bundles
{
    public static readonly (string Label, string Photo)[] References =
    [
        ("motorcycle", "motorcycle_left.png"),
        ("cat", "chelsea.png"),
        ("coffee", "coffee.png"),
        ("rocket", "rocket.jpg"),
        ("astronaut", "astronaut.png"),
    ];

    private static readonly Lazy<byte[]> Model = new(BuildModel);

    public static string[] Labels => References.Select(r => r.Label).ToArray();

    public static ModelBundle NearestCentroid(string directory, string version = "resnet18-centroids")
    {
        var bytes = Model.Value;
        return ModelBundleWriter.Write(directory, bytes, TestBundles.Manifest(version, Labels, bytes, ResNet18Models.Size, ResNet18Models.Size));
    }

    public static byte[] AsJpeg(string path, int quality)
    {
        using var image = Image.Load<Rgb24>(path);
        using var output = new MemoryStream();
        image.Save(output, new JpegEncoder { Quality = quality });
        return output.ToArray();
    }

    private static byte[] BuildModel()
    {
        using var featurizer = new InferenceSession(ResNet18Models.Featurizer().ToByteArray());
        var decoder = new ImageDecoder();
        var input = new ModelInput(ResNet18Models.Size, ResNet18Models.Size, ResizePolicy.ShorterSideThenCenterCrop);
        var weights = new List<float>();
        var bias = new List<float>();
        const float Scale = 0.05f;
        foreach (var (_, photo) in References)
        {
            using var image = decoder.Decode(File.ReadAllBytes(TestAssets.Skimage(photo)));
            var pixels = new byte[ImageResizer.InputBytes(input)];
            ImageResizer.ResizeInto(image, input, pixels);
            using var tensor = OrtValue.CreateTensorValueFromMemory(pixels, [1, input.Height, input.Width, 3]);
            using var runOptions = new RunOptions();
            using var outputs = featurizer.Run(runOptions, ["pixels"], [tensor], ["features"]);
            var features = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            // argmin |f - r|² = argmax (f·r − |r|²/2): a linear layer.
            weights.AddRange(features.Select(f => f * Scale));
            bias.Add(-0.5f * Scale * features.Sum(f => f * f));
        }

        return ResNet18Models.Classifier(weights.ToArray(), bias.ToArray()).ToByteArray();
    }
}
