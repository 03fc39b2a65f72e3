using Mic.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Core.Tests.Imaging;

public sealed class ImageDecoderTests
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData("motorcycle_left.png", "png", 741, 500)]
    [InlineData("rocket.jpg", "jpeg", 640, 427)]
    [InlineData("hubble_deep_field.jpg", "jpeg", 1000, 872)]
    [InlineData("no_time_for_that_tiny.gif", "gif", 14, 25)]
    [InlineData("multipage_rgb.tif", "tiff", 10, 10)]
    [InlineData("chessboard_GRAY_U16.tif", "tiff", 200, 200)]
    [InlineData("palette_color.png", "png", 10, 10)]
    [InlineData("camera.png", "png", 512, 512)]
    public void Decode_RealPhoto_ReturnsUprightRgb(string name, string format, int width, int height)
    {
        using var image = _decoder.Decode(TestAssets.Bytes(TestAssets.Skimage(name)));

        Assert.Equal(format, image.Format);
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Single(image.Image.Frames);
    }

    [Fact]
    public void Decode_GrayscalePng_HasEqualChannels()
    {
        using var image = _decoder.Decode(TestAssets.Bytes(TestAssets.Skimage("camera.png")));

        var pixel = image.Image[100, 200];
        Assert.Equal(pixel.R, pixel.G);
        Assert.Equal(pixel.G, pixel.B);
    }

    [Fact]
    public void Decode_SixteenBitTiff_KeepsBothChessboardLevels()
    {
        using var image = _decoder.Decode(TestAssets.Bytes(TestAssets.Skimage("chessboard_GRAY_U16.tif")));

        // The file's squares hold 16-bit values 0 and 255, which scale to 8-bit 0 and 1: two levels, half each.
        var levels = new Dictionary<byte, int>();
        image.Image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    Assert.True(p.R == p.G && p.G == p.B);
                    levels[p.R] = levels.GetValueOrDefault(p.R) + 1;
                }
            }
        });

        Assert.Equal(2, levels.Count);
        Assert.All(levels.Values, count => Assert.Equal(200 * 200 / 2, count));
    }

    [Fact]
    public void Decode_CmykJpeg_IsConvertedToRgb()
    {
        // Assets/chelsea-cmyk.jpg: skimage's chelsea.png resized to 150x100 and saved as a CMYK JPEG by Pillow;
        // the RGB original's centre pixel is (186, 145, 118).
        using var image = _decoder.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Assets", "chelsea-cmyk.jpg")));

        var centre = image.Image[75, 50];
        Assert.Equal((150, 100), (image.Width, image.Height));
        Assert.InRange(centre.R, 186 - 25, 186 + 25);
        Assert.InRange(centre.G, 145 - 25, 145 + 25);
        Assert.InRange(centre.B, 118 - 25, 118 + 25);
    }

    [Theory]
    [InlineData("bmp")]
    [InlineData("webp")]
    public void Decode_PhotoReencoded_MatchesOriginalPixels(string format)
    {
        using var original = Image.Load<Rgb24>(TestAssets.Skimage("coffee.png"));
        using var encoded = new MemoryStream();
        original.Save(encoded, format == "bmp" ? new BmpEncoder() : new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });

        using var image = _decoder.Decode(encoded.ToArray());

        Assert.Equal(format, image.Format);
        Assert.Equal(original.Size(), image.Image.Size());
        Assert.Equal(original[200, 150], image.Image[200, 150]);
    }

    [Fact]
    public void Decode_TransparentPixels_AreFlattenedOntoWhite()
    {
        using var photo = Image.Load<Rgba32>(TestAssets.Skimage("chelsea.png"));
        photo.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < 10; y++)
            {
                foreach (ref var p in rows.GetRowSpan(y))
                {
                    p.A = 0;
                }
            }
        });
        using var encoded = new MemoryStream();
        photo.Save(encoded, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });

        using var image = _decoder.Decode(encoded.ToArray());

        Assert.Equal(new Rgb24(255, 255, 255), image.Image[50, 5]);
        Assert.Equal(new Rgb24(photo[50, 100].R, photo[50, 100].G, photo[50, 100].B), image.Image[50, 100]);
    }

    [Theory]
    [InlineData(6, true)]
    [InlineData(8, true)]
    [InlineData(3, false)]
    [InlineData(1, false)]
    public void Decode_ExifOrientation_IsApplied(ushort orientation, bool swapsAxes)
    {
        using var photo = Image.Load<Rgb24>(TestAssets.Skimage("rocket.jpg"));
        photo.Metadata.ExifProfile = new ExifProfile();
        photo.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        using var encoded = new MemoryStream();
        photo.Save(encoded, new JpegEncoder { Quality = 95 });

        using var image = _decoder.Decode(encoded.ToArray());

        Assert.Equal(swapsAxes ? (427, 640) : (640, 427), (image.Width, image.Height));
    }

    [Fact]
    public void Decode_TruncatedJpegFromSkimage_IsCorrupt()
    {
        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(TestAssets.Bytes(TestAssets.Skimage("truncated.jpg"))));

        Assert.Equal(ImageErrorKind.Corrupt, e.Kind);
        Assert.Contains("jpeg", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rocket.jpg")]
    [InlineData("motorcycle_left.png")]
    public void Decode_PhotoCutInHalf_IsCorrupt(string name)
    {
        var bytes = TestAssets.Bytes(TestAssets.Skimage(name));

        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bytes.AsMemory(0, bytes.Length / 2)));

        Assert.Equal(ImageErrorKind.Corrupt, e.Kind);
    }

    [Fact]
    public void Decode_JpegWithTrailerAfterEndOfImage_Decodes()
    {
        var bytes = TestAssets.Bytes(TestAssets.Skimage("rocket.jpg")).Concat(new byte[4096]).ToArray();

        using var image = _decoder.Decode(bytes);

        Assert.Equal(640, image.Width);
    }

    [Theory]
    [InlineData("hello, this is a text file\n")]
    [InlineData("%PDF-1.7\n")]
    [InlineData("")]
    public void Decode_NotAnImage_IsUnsupportedFormat(string content)
    {
        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(System.Text.Encoding.UTF8.GetBytes(content)));

        Assert.Equal(ImageErrorKind.UnsupportedFormat, e.Kind);
    }

    [Fact]
    public void Decode_OverByteLimit_IsTooLargeBeforeDecoding()
    {
        var decoder = new ImageDecoder(new ImageLimits { MaxBytes = 1000 });

        var e = Assert.Throws<ImageDecodeException>(() => decoder.Decode(TestAssets.Bytes(TestAssets.Skimage("rocket.jpg"))));

        Assert.Equal(ImageErrorKind.TooLarge, e.Kind);
        Assert.Contains("1000 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OverPixelLimit_IsTooLarge()
    {
        var decoder = new ImageDecoder(new ImageLimits { MaxPixels = 640 * 427 - 1 });

        var e = Assert.Throws<ImageDecodeException>(() => decoder.Decode(TestAssets.Bytes(TestAssets.Skimage("rocket.jpg"))));

        Assert.Equal(ImageErrorKind.TooLarge, e.Kind);
        Assert.Contains("640x427", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_HeaderClaimsGiganticImage_IsRefusedFromTheHeader()
    {
        // A real PNG whose IHDR says 100000 x 100000: decoding it would need 30 GB; the header check refuses it.
        var png = TestAssets.Bytes(TestAssets.Skimage("palette_color.png"));
        var forged = PngWithSize(png, 100_000, 100_000);

        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(forged));

        Assert.Equal(ImageErrorKind.TooLarge, e.Kind);
        Assert.Contains("100000x100000", e.Message, StringComparison.Ordinal);
    }

    private static byte[] PngWithSize(byte[] png, int width, int height)
    {
        var copy = (byte[])png.Clone();
        // Signature (8) + length (4) + "IHDR" (4), then width and height big-endian, then the chunk CRC.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(20), height);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(copy.AsSpan(12, 17));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), crc);
        return copy;
    }
}
