namespace Mic.Core.Imaging;

public enum ImageErrorKind
{
    /// <summary>Not an image, or a format MIC does not decode (HTTP 415).</summary>
    UnsupportedFormat,

    /// <summary>A known format whose data is damaged or truncated (HTTP 400).</summary>
    Corrupt,

    /// <summary>Over the byte or pixel limit (HTTP 413).</summary>
    TooLarge,
}
