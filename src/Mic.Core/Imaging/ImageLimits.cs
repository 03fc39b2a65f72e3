namespace Mic.Core.Imaging;

/// <summary>Limits applied before any pixel is decoded. On by default; raise them deliberately.</summary>
public sealed record ImageLimits
{
    public const long DefaultMaxBytes = 20L * 1024 * 1024;
    public const long DefaultMaxPixels = 50_000_000;

    /// <summary>Largest encoded image accepted, in bytes (default 20 MiB).</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Largest width × height accepted, read from the header before decoding (default 50 MP).</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    public static ImageLimits Default { get; } = new();
}
