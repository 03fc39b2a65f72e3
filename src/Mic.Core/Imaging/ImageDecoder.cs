using NetVips;

namespace Mic.Core.Imaging;

/// <summary>
/// Opens JPEG, PNG, WebP, GIF (first frame), BMP and TIFF (first page). The byte limit, the format (from the
/// signature bytes), the header's pixel count and the container structure (truncation) are all checked here,
/// before any pixel is decoded; pixels are decoded by <see cref="ImageResizer.ResizeInto"/> at the scale it needs.
/// Thread-safe; create one per limits.
/// </summary>
public sealed class ImageDecoder
{
    private readonly ImageLimits _limits;

    public ImageDecoder(ImageLimits? limits = null)
    {
        _limits = limits ?? ImageLimits.Default;
        VipsRuntime.EnsureInitialized();
    }

    public ImageLimits Limits => _limits;

    /// <exception cref="ImageDecodeException">Unsupported format, corrupt data, or over a limit.</exception>
    public DecodedImage Decode(ReadOnlyMemory<byte> encoded, CancellationToken cancellationToken = default)
    {
        if (encoded.Length > _limits.MaxBytes)
        {
            throw new ImageDecodeException(ImageErrorKind.TooLarge,
                $"image is {encoded.Length} bytes; the limit is {_limits.MaxBytes} bytes");
        }

        if (encoded.IsEmpty)
        {
            throw new ImageDecodeException(ImageErrorKind.UnsupportedFormat, "the body is empty, not an image");
        }

        var format = FormatSniffer.Detect(encoded.Span)
            ?? throw new ImageDecodeException(ImageErrorKind.UnsupportedFormat,
                "not an image MIC can read (supported: JPEG, PNG, WebP, GIF, BMP, TIFF)");
        cancellationToken.ThrowIfCancellationRequested();
        if (format is EncodedFormat.Bmp or EncodedFormat.Tiff)
        {
            return ImageSharpDecoder.Decode(encoded, format, _limits, cancellationToken);
        }

        var name = FormatSniffer.Name(format);
        var source = Source.NewFromMemory(encoded.Span);
        Image? header = null;
        try
        {
            header = OpenHeader(source, format, name);
            CheckPixels(header.Width, header.Height, encoded.Length, _limits);
            if (EncodedStructure.FindTruncation(format, encoded.Span) is { } truncation)
            {
                throw new ImageDecodeException(ImageErrorKind.Corrupt, truncation);
            }

            var orientation = header.Contains("orientation") ? (int)header.Get("orientation") : 1;
            return new DecodedImage(source, header, format, orientation);
        }
        catch
        {
            header?.Dispose();
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The header's pixel count against the pixel limit and against the encoded size (decompression bombs), on every
    /// decoder path before any pixel is decoded.
    /// </summary>
    internal static void CheckPixels(int width, int height, long encodedBytes, ImageLimits limits)
    {
        var pixels = (long)width * height;
        if (pixels > limits.MaxPixels)
        {
            throw new ImageDecodeException(ImageErrorKind.TooLarge,
                $"image is {width}x{height} = {pixels} pixels; the limit is {limits.MaxPixels} pixels");
        }

        if (pixels > limits.DensityCheckFromPixels && pixels > encodedBytes * limits.MaxPixelsPerByte)
        {
            throw new ImageDecodeException(ImageErrorKind.TooLarge,
                $"image claims {width}x{height} = {pixels} pixels in {encodedBytes} bytes, more than " +
                $"{limits.MaxPixelsPerByte} pixels per byte: refused as a decompression bomb before decoding");
        }
    }

    internal static ImageDecodeException Corrupt(string format, VipsException e) =>
        new(ImageErrorKind.Corrupt, $"{format} data is corrupt or truncated: {FirstLine(e.Message)}", e);

    private static Image OpenHeader(Source source, EncodedFormat format, string name)
    {
        try
        {
            return VipsLoader.Open(source, format);
        }
        catch (VipsException e)
        {
            throw Corrupt(name, e);
        }
    }

    private static string FirstLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "the decoder failed" : string.Join("; ", lines.Take(3));
    }
}
