using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace Mic.Core.Imaging;

/// <summary>
/// ImageSharp fills a cut-off JPEG scan or PNG stream with grey and reports success; a classifier would then answer
/// confidently about half a photo. These checks read only the container structure to tell a complete file from a
/// truncated one.
/// </summary>
internal static class EncodedStructure
{
    /// <summary>A reason the file is truncated, or null when its structure is complete.</summary>
    internal static string? FindTruncation(IImageFormat format, ReadOnlySpan<byte> bytes)
    {
        if (format == JpegFormat.Instance)
        {
            return JpegMarkers.HasEndOfImage(bytes) ? null : "jpeg is truncated (no end-of-image marker)";
        }

        if (format == PngFormat.Instance)
        {
            return PngChunks.HasEnd(bytes) ? null : "png is truncated (no IEND chunk)";
        }

        if (format == WebpFormat.Instance && bytes.Length >= 12)
        {
            var declared = 8L + BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
            return declared <= bytes.Length ? null : $"webp is truncated ({bytes.Length} of {declared} bytes)";
        }

        return null;
    }
}
