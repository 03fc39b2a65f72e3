namespace Mic.Core.Imaging;

/// <summary>The container formats MIC reads, told apart by their first bytes (never by a file name or content type).</summary>
internal enum EncodedFormat
{
    Jpeg,
    Png,
    Webp,
    Gif,
    Bmp,
    Tiff,
}
