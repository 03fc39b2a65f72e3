using NetVips;

namespace Mic.Core.Imaging;

/// <summary>
/// An image whose header has been read and checked against the limits. Pixels are decoded only when
/// <see cref="ImageResizer.ResizeInto"/> asks for them, at the reduced scale the target size allows (JPEG and WebP
/// "shrink-on-load"), so a 12-megapixel photo is never decoded at full size for a 224 × 224 input.
/// <see cref="Width"/> and <see cref="Height"/> are upright (EXIF orientation applied). Owns native memory: dispose it.
/// Not thread-safe.
/// </summary>
public sealed class DecodedImage : IDisposable
{
    private readonly Source? _source;
    private readonly EncodedFormat _encoded;
    private readonly ReadOnlyMemory<byte> _rgb;
    private Image? _header;
    private bool _disposed;

    internal DecodedImage(Source source, Image header, EncodedFormat format, int orientation)
    {
        _source = source;
        _header = header;
        _encoded = format;
        Orientation = orientation is >= 1 and <= 8 ? orientation : 1;
        Format = FormatSniffer.Name(format);
        var transposed = Orientation >= 5;
        Width = transposed ? header.Height : header.Width;
        Height = transposed ? header.Width : header.Height;
    }

    private DecodedImage(ReadOnlyMemory<byte> rgb, int width, int height, string format)
    {
        _rgb = rgb;
        Width = width;
        Height = height;
        Format = format;
        Orientation = 1;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Lower-case format name: jpeg, png, gif, bmp, tiff, webp; raw for <see cref="FromRgb(ReadOnlyMemory{byte}, int, int)"/>.</summary>
    public string Format { get; }

    /// <summary>EXIF orientation of the stored pixels (1 = upright).</summary>
    internal int Orientation { get; }

    internal int MaxShrink => _source is null ? 1 : VipsLoader.MaxShrink(_encoded);

    /// <summary>
    /// Wraps upright RGB pixels (<paramref name="width"/> × <paramref name="height"/> × 3 bytes, row-major) that need no
    /// decoding, such as a dataset's raw pixels, so they go through the same resize as a decoded photo. The memory is
    /// read in place; keep it unchanged until the image is disposed.
    /// </summary>
    public static DecodedImage FromRgb(ReadOnlyMemory<byte> rgb, int width, int height) =>
        FromRgb(rgb, width, height, "raw");

    internal static DecodedImage FromRgb(ReadOnlyMemory<byte> rgb, int width, int height, string format)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (rgb.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"{width}x{height} RGB needs {(long)width * height * 3} bytes; {rgb.Length} given", nameof(rgb));
        }

        VipsRuntime.EnsureInitialized();
        return new DecodedImage(rgb, width, height, format);
    }

    /// <summary>
    /// The stored (not yet oriented) pixels as lazy 8-bit RGB, decoded at 1/<paramref name="shrink"/> scale where the
    /// format allows it. The caller owns the result.
    /// </summary>
    internal Image OpenRgb(int shrink)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_source is null)
        {
            return Image.NewFromMemory(_rgb, Width, Height, 3, Enums.BandFormat.Uchar);
        }

        // The header image is shrink 1; any other scale reopens the same source (a memory source rewinds). Whatever
        // is not reused is disposed now: left to the finalizer it would keep libvips' copy of the upload alive.
        var header = _header;
        _header = null;
        if (shrink != 1 || header is null)
        {
            header?.Dispose();
            header = VipsLoader.Open(_source, _encoded, shrink);
        }

        return VipsLoader.ToRgb(header);
    }

    public void Dispose()
    {
        _disposed = true;
        _header?.Dispose();
        _header = null;
        _source?.Dispose();
    }
}
