using System.Buffers.Binary;

namespace Mic.Core.Imaging;

/// <summary>Walks a PNG's chunk chain to find whether it reaches IEND.</summary>
internal static class PngChunks
{
    private const int SignatureLength = 8;
    private const uint EndChunk = 0x49454E44; // "IEND"

    internal static bool HasEnd(ReadOnlySpan<byte> png)
    {
        long i = SignatureLength;
        while (i + 8 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[(int)i..]);
            var type = BinaryPrimitives.ReadUInt32BigEndian(png[(int)(i + 4)..]);
            if (type == EndChunk)
            {
                return true;
            }

            i += 12L + length; // length + type + data + CRC
        }

        return false;
    }
}
