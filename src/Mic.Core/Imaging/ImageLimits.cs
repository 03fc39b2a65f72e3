namespace Mic.Core.Imaging;

/// <summary>Limits applied before any pixel is decoded. On by default; raise them deliberately.</summary>
public sealed record ImageLimits
{
    public const long DefaultMaxBytes = 20L * 1024 * 1024;
    public const long DefaultMaxPixels = 50_000_000;
    public const long DefaultMaxPixelsPerByte = 1_000;
    public const long DefaultDensityCheckFromPixels = 4_000_000;

    /// <summary>Largest encoded image accepted, in bytes (default 20 MiB).</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Largest width × height accepted, read from the header before decoding (default 50 MP).</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>
    /// Most pixels the header may claim per encoded byte (default 1,000) for an image of more than
    /// <see cref="DensityCheckFromPixels"/> pixels: a decompression bomb (a 5 KB TIFF or 1-bit PNG whose header says
    /// 42 MP) is refused from its header instead of being decoded. Real photos carry 1 to 50 pixels per byte, and
    /// baseline JPEG cannot exceed about 100.
    /// </summary>
    public long MaxPixelsPerByte { get; init; } = DefaultMaxPixelsPerByte;

    /// <summary>Images up to this many pixels (default 4 MP) are never refused for their pixels per byte.</summary>
    public long DensityCheckFromPixels { get; init; } = DefaultDensityCheckFromPixels;

    public static ImageLimits Default { get; } = new();
}
