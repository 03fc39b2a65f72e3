using Mic.Core.Imaging;
using Mic.Core.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Mic.TestSupport;

/// <summary>Byte-level mutations in the style of AFL's havoc stage, and the check every mutant must pass.</summary>
public static class DecoderMutator
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x10, 0x40];
    private static readonly ModelInput Thumbnail = new(32, 32, ResizePolicy.ShorterSideThenCenterCrop);

    /// <summary>Real photos covering every supported format (WebP and BMP are a real photo re-encoded).</summary>
    public static readonly string[] SeedNames = ["rocket.jpg", "motorcycle_left.png", "no_time_for_that_tiny.gif",
        "multipage_rgb.tif", "chessboard_GRAY_U16.tif", "palette_color.png", "webp", "bmp"];

    public static byte[] SeedBytes(string seed)
    {
        if (seed is not ("webp" or "bmp"))
        {
            return TestAssets.Bytes(TestAssets.Skimage(seed));
        }

        using var photo = Image.Load<Rgb24>(TestAssets.Skimage("chelsea.png"));
        photo.Mutate(x => x.Resize(64, 48));
        using var encoded = new MemoryStream();
        photo.Save(encoded, seed == "webp" ? new WebpEncoder() : new BmpEncoder());
        return encoded.ToArray();
    }

    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        var edits = 1 + random.Next(8);
        for (var e = 0; e < edits; e++)
        {
            // Header bytes decide sizes and offsets; weight mutations towards the first 256 bytes.
            var limit = random.Next(3) == 0 ? bytes.Length : Math.Min(bytes.Length, 256);
            var at = random.Next(limit);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 3 when at + 4 < bytes.Length:
                    BitConverter.TryWriteBytes(bytes.AsSpan(at), random.Next(3) switch { 0 => int.MaxValue, 1 => 0x7FFF, _ => random.Next() });
                    break;
                default:
                    bytes = bytes[..Math.Max(1, at)];
                    break;
            }
        }

        return bytes;
    }

    /// <summary>
    /// Null when the input decodes and resizes, or is refused with an <see cref="ImageDecodeException"/>; else what went
    /// wrong.
    /// </summary>
    public static string? Check(ImageDecoder decoder, byte[] input)
    {
        try
        {
            var task = Task.Run(() =>
            {
                // Decode reads the header; the pixels are decoded by the resize, so the check runs both.
                using var image = decoder.Decode(input);
                ImageResizer.ResizeInto(image, Thumbnail, new byte[ImageResizer.InputBytes(Thumbnail)]);
                return image.Width;
            });
            return task.Wait(TimeSpan.FromSeconds(20)) ? null : "decode did not finish within 20 s";
        }
        catch (AggregateException e) when (e.InnerException is ImageDecodeException)
        {
            return null;
        }
        catch (AggregateException e)
        {
            return $"{e.InnerException!.GetType().Name}: {e.InnerException.Message}";
        }
    }
}
