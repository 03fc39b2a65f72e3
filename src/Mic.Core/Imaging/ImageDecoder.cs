using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Mic.Core.Imaging;

/// <summary>
/// Decodes JPEG, PNG, WebP, GIF (first frame), BMP and TIFF (first page) into upright RGB.
/// Byte and pixel limits are checked before any pixel is decoded. Thread-safe; create one per limits.
/// </summary>
public sealed class ImageDecoder
{
    private static readonly Configuration DecodeConfiguration = CreateConfiguration();
    private readonly ImageLimits _limits;

    public ImageDecoder(ImageLimits? limits = null) => _limits = limits ?? ImageLimits.Default;

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

        var format = Image.DetectFormat(DecodeConfiguration, encoded.Span)
            ?? throw new ImageDecodeException(ImageErrorKind.UnsupportedFormat,
                "not an image MIC can read (supported: JPEG, PNG, WebP, GIF, BMP, TIFF)");
        var name = format.Name.ToLowerInvariant();

        cancellationToken.ThrowIfCancellationRequested();
        var info = Identify(encoded, name);
        var pixels = (long)info.Width * info.Height;
        if (pixels > _limits.MaxPixels)
        {
            throw new ImageDecodeException(ImageErrorKind.TooLarge,
                $"image is {info.Width}x{info.Height} = {pixels} pixels; the limit is {_limits.MaxPixels} pixels");
        }

        if (EncodedStructure.FindTruncation(format, encoded.Span) is { } truncation)
        {
            throw new ImageDecodeException(ImageErrorKind.Corrupt, truncation);
        }

        cancellationToken.ThrowIfCancellationRequested();
        // ImageSharp 2.1 does not report alpha from the header, so every format that can carry it takes the RGBA path.
        var hasAlpha = format != JpegFormat.Instance;
        var image = Load(encoded, name, hasAlpha);
        try
        {
            image.Mutate(x => x.AutoOrient());
            return new DecodedImage(image, name);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static IImageInfo Identify(ReadOnlyMemory<byte> encoded, string format)
    {
        try
        {
            using var stream = AsStream(encoded);
            return Image.Identify(DecodeConfiguration, stream)
                ?? throw new ImageDecodeException(ImageErrorKind.Corrupt, $"{format} header could not be read");
        }
        catch (Exception e) when (e is not ImageDecodeException and not OperationCanceledException)
        {
            throw Corrupt(format, e);
        }
    }

    private static Image<Rgb24> Load(ReadOnlyMemory<byte> encoded, string format, bool hasAlpha)
    {
        try
        {
            if (!hasAlpha)
            {
                return Image.Load<Rgb24>(DecodeConfiguration, encoded.Span);
            }

            // Transparent pixels carry arbitrary colour; flatten onto white as browsers show them.
            using var rgba = Image.Load<Rgba32>(DecodeConfiguration, encoded.Span);
            rgba.Mutate(x => x.BackgroundColor(Color.White));
            return rgba.CloneAs<Rgb24>();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Corrupt(format, e);
        }
    }

    private static ImageDecodeException Corrupt(string format, Exception e) =>
        e is UnknownImageFormatException or NotSupportedException
            ? new ImageDecodeException(ImageErrorKind.UnsupportedFormat, $"{format} variant is not supported: {e.Message}", e)
            : new ImageDecodeException(ImageErrorKind.Corrupt, $"{format} data is corrupt or truncated: {e.Message}", e);

    private static MemoryStream AsStream(ReadOnlyMemory<byte> encoded) =>
        MemoryMarshal.TryGetArray(encoded, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(encoded.ToArray(), writable: false);

    private static Configuration CreateConfiguration()
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new WebpConfigurationModule(),
            new GifConfigurationModule(),
            new BmpConfigurationModule(),
            new TiffConfigurationModule());
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance,
            new GifDecoder { DecodingMode = FrameDecodingMode.First });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance,
            new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }
}
