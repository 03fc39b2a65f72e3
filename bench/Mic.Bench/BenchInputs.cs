using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Quantization;
using Mic.TestSupport;
using Google.Protobuf;
using Onnx;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Mic.Bench;

/// <summary>
/// What bench/run.sh serves and sends: a model store with the int8 ResNet18-224 bundle (the test suite's
/// nearest-centroid head over the offline ImageNet ResNet18, quantized with MinMax calibration on
/// <see cref="TestPhotos.Calibration"/>), and four uploads made deterministically from real photos (Debian
/// mate-backgrounds): a 640x480 JPEG, a 4032x3024 phone-size JPEG, a 1600x1200 PNG photo and a 2560x1600 WebP.
/// </summary>
internal static class BenchInputs
{
    public static readonly (string File, string Photo, int Width, int Height)[] Uploads =
    [
        ("jpeg-640x480.jpg", "nature/Garden.jpg", 640, 480),
        ("jpeg-4032x3024.jpg", "abstract/Elephants_5640x3172.jpg", 4032, 3024),
        ("png-1600x1200.png", "nature/Wood.jpg", 1600, 1200),
        ("webp-2560x1600.webp", "nature/TwoWings.jpg", 2560, 1600),
    ];

    public static async Task<int> PrepareAsync(string directory, TextWriter output)
    {
        var inputs = Directory.CreateDirectory(Path.Combine(directory, "inputs")).FullName;
        foreach (var (file, photo, width, height) in Uploads)
        {
            using var image = Image.Load<Rgb24>(TestAssets.MateBackground(photo));
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(width, height), Mode = ResizeMode.Crop }));
            IImageEncoder encoder = Path.GetExtension(file) switch
            {
                ".jpg" => new JpegEncoder { Quality = 90 },
                ".png" => new PngEncoder(),
                _ => new WebpEncoder { Quality = 80, FileFormat = WebpFileFormatType.Lossy },
            };
            await image.SaveAsync(Path.Combine(inputs, file), encoder);
            output.WriteLine($"{file}: {new FileInfo(Path.Combine(inputs, file)).Length:N0} bytes from mate-backgrounds {photo}");
        }

        using var scratch = new TempDirectory();
        var fp32 = ResNet18Bundles.NearestCentroid(scratch.Combine("fp32"));
        var input = TestPhotos.ResNet18Input;
        var calibration = new CalibrationData(input.Height, input.Width,
            TestPhotos.Calibration.Select(p => (ReadOnlyMemory<byte>)TestPhotos.Pixels(p, input)));
        var quantized = QdqQuantizer.Quantize(ModelProto.Parser.ParseFrom(File.ReadAllBytes(fp32.ModelPath)), calibration);
        var bytes = quantized.Model.ToByteArray();
        var manifest = TestBundles.Manifest("resnet18-int8-bench", ResNet18Bundles.Labels, bytes, input.Height, input.Width);
        manifest = manifest with { Model = manifest.Model with { Precision = "int8" } };
        TestBundles.WriteRaw(scratch.Combine("int8"), bytes, manifest);
        var store = Path.Combine(directory, "store");
        await ModelPublisher.PublishAsync(new FileModelStore(store), ModelBundle.Load(scratch.Combine("int8")), CancellationToken.None);
        output.WriteLine($"published {manifest.Version} ({bytes.Length:N0} bytes, int8) to {store}");
        return 0;
    }
}
