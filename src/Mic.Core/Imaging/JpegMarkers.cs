namespace Mic.Core.Imaging;

/// <summary>Walks a JPEG's marker segments to find whether the main image reaches its end-of-image marker.</summary>
internal static class JpegMarkers
{
    private const byte Prefix = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    /// <summary>
    /// True when the segment chain from SOI reaches EOI. Data after EOI (maker trailers, Motion Photo video) is
    /// ignored, and an EXIF thumbnail's own EOI does not count because APP segments are skipped by length.
    /// </summary>
    internal static bool HasEndOfImage(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != Prefix || jpeg[1] != StartOfImage)
        {
            return false;
        }

        var i = 2;
        while (i + 1 < jpeg.Length)
        {
            if (jpeg[i] != Prefix)
            {
                return false;
            }

            var marker = jpeg[i + 1];
            if (marker == Prefix)
            {
                i++; // fill byte
                continue;
            }

            if (marker == EndOfImage)
            {
                return true;
            }

            if (marker is StartOfImage or 0x01 or >= 0xD0 and <= 0xD7)
            {
                i += 2; // markers without a length
                continue;
            }

            if (i + 3 >= jpeg.Length)
            {
                return false;
            }

            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            i += 2 + length;
            if (marker == StartOfScan)
            {
                i = SkipEntropyCodedData(jpeg, i);
            }
        }

        return false;
    }

    // Entropy-coded data stuffs every 0xFF data byte with 0x00, and restart markers sit inside it; the scan ends
    // at the first other marker.
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> jpeg, int i)
    {
        while (i + 1 < jpeg.Length)
        {
            var next = jpeg[i..].IndexOf(Prefix);
            if (next < 0)
            {
                return jpeg.Length;
            }

            i += next;
            if (i + 1 >= jpeg.Length)
            {
                return jpeg.Length;
            }

            var b = jpeg[i + 1];
            if (b is 0x00 or Prefix or >= 0xD0 and <= 0xD7)
            {
                i += b == Prefix ? 1 : 2;
                continue;
            }

            return i;
        }

        return jpeg.Length;
    }
}
