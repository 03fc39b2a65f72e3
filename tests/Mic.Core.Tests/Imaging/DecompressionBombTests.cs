using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Mic.Core.Imaging;
using Mic.Core.Models;

namespace Mic.Core.Tests.Imaging;

/// <summary>
/// A few kilobytes whose header claims tens of megapixels, under the pixel limit: the fuzzer found such a TIFF that
/// ImageSharp spent 22 s decoding before refusing it. Refused from the header now, on the ImageSharp and the libvips
/// path alike.
/// </summary>
public sealed class DecompressionBombTests
{
    private readonly ImageDecoder _decoder = new();

    [Theory]
    [InlineData("tiff", 4_194_314, 10)] // the ImageSharp path
    [InlineData("png", 6480, 6480)] // the libvips path
    public void Decode_TinyFileClaiming42Megapixels_IsTooLargeFromTheHeader(string format, int width, int height)
    {
        var bomb = format == "tiff" ? BilevelDeflateTiff(width, height) : BilevelPng(width, height);
        Assert.True(bomb.Length < 8 * 1024, $"the bomb is {bomb.Length} bytes");

        var e = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(bomb));

        Assert.Equal(ImageErrorKind.TooLarge, e.Kind);
        Assert.Contains($"{width}x{height}", e.Message, StringComparison.Ordinal);
        Assert.Contains("decompression bomb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_SameDensityAtTheCheckFloor_Decodes()
    {
        // 4 MP: not over DensityCheckFromPixels, so a flat bilevel image of that size still reaches the decoder.
        var png = BilevelPng(2000, 2000);
        var input = new ModelInput(8, 8, ResizePolicy.ShorterSideThenCenterCrop);
        var pixels = new byte[ImageResizer.InputBytes(input)];

        using (var image = _decoder.Decode(png))
        {
            ImageResizer.ResizeInto(image, input, pixels);
        }

        Assert.All(pixels, p => Assert.Equal(0, p));
    }

    [Fact]
    public void Decode_RaisedPixelsPerByteLimit_LetsTheTiffThrough()
    {
        var tiff = BilevelDeflateTiff(2_100, 2_100);
        var strict = new ImageDecoder(new ImageLimits { DensityCheckFromPixels = 1_000_000 });
        var lenient = new ImageDecoder(new ImageLimits { DensityCheckFromPixels = 1_000_000, MaxPixelsPerByte = 100_000 });

        Assert.Equal(ImageErrorKind.TooLarge, Assert.Throws<ImageDecodeException>(() => strict.Decode(tiff)).Kind);
        using var image = lenient.Decode(tiff);
        Assert.Equal((2_100, 2_100), (image.Width, image.Height));
    }

    /// <summary>A little-endian TIFF, 1 bit per pixel, all black, one Deflate strip.</summary>
    private static byte[] BilevelDeflateTiff(int width, int height)
    {
        var strip = Deflated((width + 7) / 8 * height);
        (ushort Tag, ushort Type, uint Value)[] entries =
        [
            (256, 4, (uint)width), (257, 4, (uint)height), (258, 3, 1), (259, 3, 8), (262, 3, 1),
            (273, 4, 0), (277, 3, 1), (278, 4, (uint)height), (279, 4, (uint)strip.Length),
        ];
        var dataOffset = 8 + 2 + (entries.Length * 12) + 4;
        var tiff = new byte[dataOffset + strip.Length];
        "II*\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), (ushort)entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var (tag, type, value) = entries[i];
            var entry = tiff.AsSpan(10 + (i * 12), 12);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], 1);
            var stored = tag == 273 ? (uint)dataOffset : value;
            if (type == 3)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)stored);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], stored);
            }
        }

        strip.CopyTo(tiff, dataOffset);
        return tiff;
    }

    /// <summary>A greyscale PNG, 1 bit per pixel, all black.</summary>
    private static byte[] BilevelPng(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth; colour type 0 (grey), deflate, no filter method, no interlace
        var rowBytes = 1 + ((width + 7) / 8); // filter byte, then the packed row
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR"u8, header);
        WriteChunk(png, "IDAT"u8, Deflated(rowBytes * height));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    /// <summary>zlib-compressed zero bytes (every PNG row's filter byte is 0 = none, too).</summary>
    private static byte[] Deflated(int bytes)
    {
        var block = new byte[64 * 1024];
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var left = bytes; left > 0; left -= block.Length)
            {
                zlib.Write(block, 0, Math.Min(left, block.Length));
            }
        }

        return output.ToArray();
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = new byte[type.Length + data.Length];
        type.CopyTo(typed);
        data.CopyTo(typed.AsSpan(type.Length));
        png.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typed));
        png.Write(crc);
    }
}
