using Mic.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

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
        Assert.Equal(width * height * 3, DecodedPixels.Of(image).Bytes.Length);
    }

    [Fact]
    public void Decode_GrayscalePng_HasEqualChannels()
    {
        using var image = _decoder.Decode(TestAssets.Bytes(TestAssets.Skimage("camera.png")));

        var pixel = DecodedPixels.Of(image)[100, 200];
        Assert.Equal(pixel.R, pixel.G);
        Assert.Equal(pixel.G, pixel.B);
    }

    [Fact]
    public void Decode_SixteenBitTiff_KeepsBothChessboardLevels()
    {
        using var image = _decoder.Decode(TestAssets.Bytes(TestAssets.Skimage("chessboard_GRAY_U16.tif")));

        // The file's squares hold 16-bit values 0 and 255, which scale to 8-bit 0 and 1: two levels, half each.
        var levels = new Dictionary<byte, int>();
        foreach (var p in DecodedPixels.Of(image).Bytes.ToArray().Chunk(3))
        {
            Assert.True(p[0] == p[1] && p[1] == p[2]);
            levels[p[0]] = levels.GetValueOrDefault(p[0]) + 1;
        }

        Assert.Equal(2, levels.Count);
        Assert.All(levels.Values, count => Assert.Equal(200 * 200 / 2, count));
    }

    [Fact]
    public void Decode_SixteenBitGrayPng_ScalesTo8BitsWithRounding()
    {
        // The same chessboard as a 16-bit PNG (libvips' path): 16-bit 0 and 255 become 8-bit 0 and 1, as before.
        using var chessboard = Image.Load<L16>(TestAssets.Skimage("chessboard_GRAY_U16.tif"));
        using var encoded = new MemoryStream();
        chessboard.Save(encoded, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });

        using var image = _decoder.Decode(encoded.ToArray());

        var levels = DecodedPixels.Of(image).Bytes.ToArray().Chunk(3).GroupBy(p => (p[0], p[1], p[2])).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new[] { ((byte)0, (byte)0, (byte)0), ((byte)1, (byte)1, (byte)1) }, levels.Keys.Order());
        Assert.All(levels.Values, count => Assert.Equal(200 * 200 / 2, count));
    }

    [Fact]
    public void Decode_CmykJpeg_IsConvertedToRgb()
    {
        // Assets/chelsea-cmyk.jpg: skimage's chelsea.png resized to 150x100 and saved as a CMYK JPEG by Pillow;
        // the RGB original's centre pixel is (186, 145, 118).
        using var image = _decoder.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Assets", "chelsea-cmyk.jpg")));

        var centre = DecodedPixels.Of(image)[75, 50];
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
        Assert.Equal((original.Width, original.Height), (image.Width, image.Height));
        var expected = original[200, 150];
        Assert.Equal((expected.R, expected.G, expected.B), DecodedPixels.Of(image)[200, 150]);
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

        var pixels = DecodedPixels.Of(image);
        Assert.Equal(((byte)255, (byte)255, (byte)255), pixels[50, 5]);
        Assert.Equal((photo[50, 100].R, photo[50, 100].G, photo[50, 100].B), pixels[50, 100]);
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

    [Theory]
    [MemberData(nameof(CropGeometryTests.ExifOrientations), MemberType = typeof(CropGeometryTests))]
    public void ResizeInto_ExifOrientedPhoto_MatchesTheUprightPhoto(ushort orientation)
    {
        // The stored pixels are the upright photo turned the way a camera held sideways (or mirrored) stores them;
        // the EXIF tag says how to turn them back. Decoding must give the upright photo's crop.
        using var upright = Image.Load<Rgb24>(TestAssets.Skimage("rocket.jpg"));
        using var stored = upright.Clone(x => x.RotateFlip(orientation switch
        {
            3 => RotateMode.Rotate180,
            5 => RotateMode.Rotate90,
            6 => RotateMode.Rotate270,
            7 => RotateMode.Rotate270,
            8 => RotateMode.Rotate90,
            _ => RotateMode.None,
        }, orientation switch
        {
            2 or 5 or 7 => FlipMode.Horizontal,
            4 => FlipMode.Vertical,
            _ => FlipMode.None,
        }));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        var input = new Mic.Core.Models.ModelInput(96, 64, Mic.Core.Models.ResizePolicy.ShorterSideThenCenterCrop);

        var expected = Resized(Jpeg100(upright), input);
        var actual = Resized(Jpeg100(stored), input);

        // Not zero: JPEG shrink-on-load decodes whole 8x8 blocks, so a side that is not a multiple of 8 x shrink ends
        // in a partial pixel, which a flip or rotation moves to the other edge (measured: up to 1.7 levels). Leaving
        // the orientation unapplied, or applying the wrong one, differs by tens of levels.
        var difference = actual.Zip(expected, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(difference < 2.5, $"mean difference from the upright photo is {difference:F2} levels");
    }

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>")]
    [InlineData("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF")]
    [InlineData("2 2\n1 2\n3 4\n")]
    [InlineData("P6\n2 2\n255\nabcdefghijkl")]
    public void Decode_FormatOutsideTheSupportedSix_IsRefusedBeforeAnyDecoder(string content)
    {
        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(System.Text.Encoding.ASCII.GetBytes(content)));

        Assert.Equal(ImageErrorKind.UnsupportedFormat, e.Kind);
    }

    [Fact]
    public void Libvips_LoadersOtherThanTheAllowedFour_AreBlockedProcessWide()
    {
        var jpeg = TestAssets.Bytes(TestAssets.Skimage("rocket.jpg"));
        var matrix = System.Text.Encoding.ASCII.GetBytes("2 2\n1 2\n3 4\n");
        var svg = System.Text.Encoding.ASCII.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>");

        // Libvips' own format guessing, loaders MIC does not use (trusted or not), and TIFF (read by ImageSharp) all fail ...
        Assert.Throws<NetVips.VipsException>(() => NetVips.Image.NewFromBuffer(jpeg));
        using (var source = NetVips.Source.NewFromMemory(matrix))
        {
            Assert.Throws<NetVips.VipsException>(() => NetVips.Image.MatrixloadSource(source));
        }

        using (var source = NetVips.Source.NewFromMemory(svg))
        {
            Assert.Throws<NetVips.VipsException>(() => NetVips.Image.SvgloadSource(source));
        }

        using (var source = NetVips.Source.NewFromMemory(TestAssets.Bytes(TestAssets.Skimage("multipage_rgb.tif"))))
        {
            Assert.Throws<NetVips.VipsException>(() => NetVips.Image.TiffloadSource(source));
        }

        // ... while the allowed JPEG loader still runs.
        using var allowed = NetVips.Source.NewFromMemory(jpeg);
        using var image = NetVips.Image.JpegloadSource(allowed);
        Assert.Equal(640, image.Width);
    }

    [Fact]
    public void ResizeInto_PngWithDamagedPixelData_IsCorrupt()
    {
        // The chunk chain is complete (IEND present), so only the decoder can notice: one flipped byte inside IDAT.
        var png = TestAssets.Bytes(TestAssets.Skimage("motorcycle_left.png"));
        var idat = png.AsSpan().IndexOf("IDAT"u8);
        png[idat + 200] ^= 0x55;

        var e = Assert.Throws<ImageDecodeException>(() => Resized(png, new Mic.Core.Models.ModelInput(32, 32, Mic.Core.Models.ResizePolicy.Stretch)));

        Assert.Equal(ImageErrorKind.Corrupt, e.Kind);
        Assert.Contains("png", e.Message, StringComparison.Ordinal);
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

    private byte[] Resized(byte[] encoded, Mic.Core.Models.ModelInput input)
    {
        using var image = _decoder.Decode(encoded);
        var pixels = new byte[ImageResizer.InputBytes(input)];
        ImageResizer.ResizeInto(image, input, pixels);
        return pixels;
    }

    private static byte[] Jpeg100(Image<Rgb24> image)
    {
        using var encoded = new MemoryStream();
        image.Save(encoded, new JpegEncoder { Quality = 100 });
        return encoded.ToArray();
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
