namespace Mic.Core.Imaging;

/// <summary>
/// Tells the format from the signature bytes. Only these formats reach a decoder: anything else (SVG, PDF, HEIC, ...)
/// is refused here, before libvips or ImageSharp sees a byte.
/// </summary>
internal static class FormatSniffer
{
    internal static EncodedFormat? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return EncodedFormat.Jpeg;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return EncodedFormat.Png;
        }

        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return EncodedFormat.Webp;
        }

        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8))
        {
            return EncodedFormat.Gif;
        }

        if (bytes.Length >= 26 && bytes.StartsWith("BM"u8))
        {
            return EncodedFormat.Bmp;
        }

        if (bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8))
        {
            return EncodedFormat.Tiff;
        }

        return null;
    }

    internal static string Name(EncodedFormat format) => format switch
    {
        EncodedFormat.Jpeg => "jpeg",
        EncodedFormat.Png => "png",
        EncodedFormat.Webp => "webp",
        EncodedFormat.Gif => "gif",
        EncodedFormat.Bmp => "bmp",
        _ => "tiff",
    };
}
