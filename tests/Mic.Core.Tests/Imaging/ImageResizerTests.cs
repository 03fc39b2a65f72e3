using Mic.Core.Imaging;
using Mic.Core.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Mic.Core.Tests.Imaging;

public sealed class ImageResizerTests
{
    private static readonly (byte, byte, byte) Red = (255, 0, 0);
    private static readonly (byte, byte, byte) Green = (0, 255, 0);
    private static readonly (byte, byte, byte) Blue = (0, 0, 255);

    [Fact]
    public void ResizeInto_CenterCropOfWideImage_KeepsOnlyTheMiddle()
    {
        using var image = ThreeBands(300, 100);
        var pixels = new byte[32 * 32 * 3];

        ImageResizer.ResizeInto(image, new ModelInput(32, 32, ResizePolicy.ShorterSideThenCenterCrop), pixels);

        // The antialiasing filter reaches half a source pixel past the crop, so only the outermost columns may blend.
        var columns = Chunk(pixels).Select((p, i) => (p, x: i % 32)).ToArray();
        Assert.All(columns.Where(c => c.x is > 0 and < 31), c => Assert.Equal(Green, c.p));
        Assert.All(columns, c => Assert.True(c.p.Item2 > 200, $"column {c.x} is {c.p}"));
    }

    [Fact]
    public void ResizeInto_Stretch_KeepsAllThreeBands()
    {
        using var image = ThreeBands(300, 100);
        var pixels = new byte[30 * 10 * 3];

        ImageResizer.ResizeInto(image, new ModelInput(30, 10, ResizePolicy.Stretch), pixels);

        var row = Chunk(pixels).Take(30).ToArray();
        Assert.Equal(Red, row[2]);
        Assert.Equal(Green, row[15]);
        Assert.Equal(Blue, row[27]);
    }

    [Fact]
    public void ResizeInto_ExactSize_CopiesPixelsUnchanged()
    {
        var (rgb, width, height) = Rgb(TestAssets.Skimage("chelsea.png"));
        using var photo = DecodedImage.FromRgb(rgb, width, height);
        var input = new ModelInput(width, height, ResizePolicy.ShorterSideThenCenterCrop);
        var pixels = new byte[ImageResizer.InputBytes(input)];

        ImageResizer.ResizeInto(photo, input, pixels);

        Assert.Equal(rgb, pixels);
    }

    [Fact]
    public void ResizeInto_RealPhoto_MatchesGoldenWithinOneLevel()
    {
        // Golden: Golden/motorcycle_left_224.png, written by this code when the crop arithmetic was reviewed. Trainer and
        // function share this method; a change here changes what every model sees, so it must be deliberate.
        var pixels = Resized(TestAssets.Bytes(TestAssets.Skimage("motorcycle_left.png")), Square(224));

        var goldenPath = Path.Combine(AppContext.BaseDirectory, "Golden", "motorcycle_left_224.png");
        if (Environment.GetEnvironmentVariable("MIC_UPDATE_GOLDEN") == "1")
        {
            using var written = Image.LoadPixelData<Rgb24>(pixels, 224, 224);
            written.SaveAsPng(Path.Combine(TestAssets.RepositoryRoot, "tests", "Mic.Core.Tests", "Golden", "motorcycle_left_224.png"));
        }

        var (expected, _, _) = Rgb(goldenPath);
        var worst = pixels.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1, $"largest channel difference from the golden file is {worst} (tolerance 1)");
    }

    [Theory]
    [InlineData("motorcycle_left.png", 224)]
    [InlineData("rocket.jpg", 224)]
    [InlineData("chelsea.png", 96)]
    public void ResizeInto_RealPhoto_IsPixelAlignedWithTheTriangleFilterOnTheSameCrop(string name, int size)
    {
        // Reference: ImageSharp cutting the same crop and scaling it with its Triangle filter (bilinear, antialiased,
        // pixel centres aligned), the filter MIC's models were trained with before libvips. Only rounding may differ;
        // an output one pixel off in either axis is several times further away.
        var bytes = TestAssets.Bytes(TestAssets.Skimage(name));
        var actual = Resized(bytes, Square(size));
        var reference = TriangleReference(bytes, size);

        var aligned = ShiftedDifference(actual, reference, size, 0, 0);
        Assert.True(aligned < 1.0, $"mean difference from the reference is {aligned:F2} levels");
        foreach (var (dx, dy) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1) })
        {
            var shifted = ShiftedDifference(actual, reference, size, dx, dy);
            Assert.True(shifted > 2 * aligned, $"a crop shifted by ({dx}, {dy}) differs by {shifted:F2}, not clearly more than {aligned:F2}");
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(224)]
    public void ResizeInto_SmallRawImageEnlarged_IsCentreAlignedBilinear(int size)
    {
        // Fashion-MNIST's 28x28 pixels take this path in the trainer: enlarging must sample where the triangle filter
        // did (pixel centres aligned), or every model trained on them sees shifted images.
        using var photo = Image.Load<Rgb24>(TestAssets.Skimage("camera.png"));
        photo.Mutate(x => x.Resize(28, 28));
        var rgb = new byte[28 * 28 * 3];
        photo.CopyPixelDataTo(rgb);
        using var image = DecodedImage.FromRgb(rgb, 28, 28);
        var pixels = new byte[size * size * 3];

        ImageResizer.ResizeInto(image, Square(size), pixels);

        using var reference = photo.Clone(x => x.Resize(new ResizeOptions { Size = new Size(size, size), Sampler = KnownResamplers.Triangle }));
        var expected = new byte[pixels.Length];
        reference.CopyPixelDataTo(expected);
        var worst = pixels.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1, $"largest channel difference from centre-aligned bilinear is {worst} (tolerance 1)");
    }

    [Fact]
    public void ResizeInto_PhonePhoto_ShrinkOnLoadStaysCloseToAFullDecode()
    {
        // 4032x3024 → 224x224: the JPEG is decoded at 1/8 scale (504x378, each pixel the mean of an 8x8 block) instead
        // of at 12 megapixels. What the model sees must barely change.
        var jpeg = PhonePhoto();
        var input = Square(224);
        using var image = new ImageDecoder().Decode(jpeg);
        Assert.Equal(8, CropGeometry.ShrinkOnLoad(image.Width, image.Height, input, image.MaxShrink));

        var shrunk = Resized(jpeg, input);
        var full = new byte[shrunk.Length];
        using (var again = new ImageDecoder().Decode(jpeg))
        {
            ImageResizer.ResizeWithMaxShrink(again, input, full, maxShrink: 1);
        }

        var difference = shrunk.Zip(full, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(difference < 2.0, $"mean difference between 1/8-scale and full decoding is {difference:F2} levels");
    }

    [Fact]
    public void ResizeInto_DestinationTooSmall_Throws()
    {
        using var image = ThreeBands(30, 10);

        Assert.Throws<ArgumentException>(() => ImageResizer.ResizeInto(image, new ModelInput(8, 8, ResizePolicy.Stretch), new byte[10]));
    }

    private static ModelInput Square(int size) => new(size, size, ResizePolicy.ShorterSideThenCenterCrop);

    private static byte[] Resized(byte[] encoded, ModelInput input)
    {
        using var image = new ImageDecoder().Decode(encoded);
        var pixels = new byte[ImageResizer.InputBytes(input)];
        ImageResizer.ResizeInto(image, input, pixels);
        return pixels;
    }

    private static byte[] TriangleReference(byte[] encoded, int size)
    {
        using var image = Image.Load<Rgb24>(encoded);
        var crop = CropGeometry.For(image.Width, image.Height, Square(size));
        image.Mutate(x => x.Crop(new Rectangle(crop.X, crop.Y, crop.Width, crop.Height))
            .Resize(new ResizeOptions { Size = new Size(size, size), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
        var pixels = new byte[size * size * 3];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    // Mean absolute difference of a against b moved by (dx, dy), over the pixels both cover.
    private static double ShiftedDifference(byte[] a, byte[] b, int size, int dx, int dy)
    {
        double sum = 0;
        var count = 0;
        for (var y = 2; y < size - 2; y++)
        {
            for (var x = 2; x < size - 2; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    sum += Math.Abs(a[(((y * size) + x) * 3) + c] - b[((((y + dy) * size) + x + dx) * 3) + c]);
                    count++;
                }
            }
        }

        return sum / count;
    }

    private static byte[] PhonePhoto()
    {
        using var image = Image.Load<Rgb24>(TestAssets.MateBackground("abstract/Elephants_5640x3172.jpg"));
        image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(4032, 3024), Mode = ResizeMode.Crop }));
        using var encoded = new MemoryStream();
        image.Save(encoded, new JpegEncoder { Quality = 90 });
        return encoded.ToArray();
    }

    private static (byte[] Rgb, int Width, int Height) Rgb(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        return (rgb, image.Width, image.Height);
    }

    private static DecodedImage ThreeBands(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = x < width / 3 ? Red : x < 2 * width / 3 ? Green : Blue;
                var i = ((y * width) + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = (r, g, b);
            }
        }

        return DecodedImage.FromRgb(rgb, width, height);
    }

    [Theory]
    [InlineData(32)] // enlarged, as the quickstart serves Fashion-MNIST's 28x28 images
    [InlineData(20)] // reduced
    public void ResizeInto_GreyPng_SamePixelsAsItsRgbTwinAndTheTrainersRawRgb(int size)
    {
        var grey = new byte[28 * 28];
        new Random(7).NextBytes(grey);
        var rgb = grey.SelectMany(v => new[] { v, v, v }).ToArray();
        var input = new ModelInput(size, size, ResizePolicy.ShorterSideThenCenterCrop);
        var decoder = new ImageDecoder();

        byte[] Resize(DecodedImage image)
        {
            using (image)
            {
                var pixels = new byte[ImageResizer.InputBytes(input)];
                ImageResizer.ResizeInto(image, input, pixels);
                return pixels;
            }
        }

        byte[] Png<TPixel>(Image<TPixel> image, PngColorType colour)
            where TPixel : unmanaged, IPixel<TPixel>
        {
            using (image)
            using (var encoded = new MemoryStream())
            {
                image.Save(encoded, new PngEncoder { ColorType = colour, BitDepth = PngBitDepth.Bit8 });
                return encoded.ToArray();
            }
        }

        var fromGreyPng = Resize(decoder.Decode(Png(Image.LoadPixelData<L8>(grey, 28, 28), PngColorType.Grayscale)));
        var fromRgbPng = Resize(decoder.Decode(Png(Image.LoadPixelData<Rgb24>(rgb, 28, 28), PngColorType.Rgb)));
        var fromRawRgb = Resize(DecodedImage.FromRgb(rgb, 28, 28));

        Assert.Equal(fromRawRgb, fromRgbPng);
        Assert.Equal(fromRawRgb, fromGreyPng);
    }

    private static IEnumerable<(byte, byte, byte)> Chunk(byte[] pixels) =>
        pixels.Chunk(3).Select(c => (c[0], c[1], c[2]));
}
