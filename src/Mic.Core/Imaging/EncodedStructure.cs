using System.Buffers.Binary;

namespace Mic.Core.Imaging;

/// <summary>
/// Decoders differ in what they do with a cut-off file: some fill the missing rows with grey and report success, and
/// a classifier would then answer confidently about half a photo. These checks read only the container structure to
/// tell a complete file from a truncated one, whatever the decoder does.
/// </summary>
internal static class EncodedStructure
{
    /// <summary>A reason the file is truncated, or null when its structure is complete.</summary>
    internal static string? FindTruncation(EncodedFormat format, ReadOnlySpan<byte> bytes)
    {
        if (format == EncodedFormat.Jpeg)
        {
            return JpegMarkers.HasEndOfImage(bytes) ? null : "jpeg is truncated (no end-of-image marker)";
        }

        if (format == EncodedFormat.Png)
        {
            return PngChunks.HasEnd(bytes) ? null : "png is truncated (no IEND chunk)";
        }

        if (format == EncodedFormat.Webp && bytes.Length >= 12)
        {
            var declared = 8L + BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
            return declared <= bytes.Length ? null : $"webp is truncated ({bytes.Length} of {declared} bytes)";
        }

        return null;
    }
}
