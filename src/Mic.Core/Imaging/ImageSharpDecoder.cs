using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Mic.Core.Imaging;

/// <summary>
/// BMP and TIFF through ImageSharp, fully decoded (neither has shrink-on-load, and neither is a camera or web upload
/// format). The libvips build MIC ships has no BMP loader (it needs ImageMagick), and libvips' TIFF loader refuses
/// variants ImageSharp reads (scikit-image's <c>multipage_rgb.tif</c>). The header is read and checked against the
/// pixel limit before any pixel is decoded, as for every format.
/// </summary>
internal static class ImageSharpDecoder
{
    private static readonly Configuration Configuration = CreateConfiguration();

    internal static DecodedImage Decode(ReadOnlyMemory<byte> encoded, EncodedFormat format, ImageLimits limits,
        CancellationToken cancellationToken)
    {
        var name = FormatSniffer.Name(format);
        IImageInfo info;
        try
        {
            using var stream = new MemoryStream(encoded.ToArray(), writable: false);
            info = Image.Identify(Configuration, stream)
                ?? throw new ImageDecodeException(ImageErrorKind.Corrupt, $"{name} header could not be read");
        }
        catch (Exception e) when (e is not ImageDecodeException)
        {
            throw Failure(name, e);
        }

        ImageDecoder.CheckPixels(info.Width, info.Height, encoded.Length, limits);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // Transparent pixels carry arbitrary colour; flatten onto white as browsers show them.
            using var rgba = Image.Load<Rgba32>(Configuration, encoded.Span);
            rgba.Mutate(x => x.BackgroundColor(Color.White).AutoOrient());
            using var rgb = rgba.CloneAs<Rgb24>();
            var pixels = new byte[rgb.Width * rgb.Height * 3];
            rgb.CopyPixelDataTo(pixels);
            return DecodedImage.FromRgb(pixels, rgb.Width, rgb.Height, name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Failure(name, e);
        }
    }

    private static ImageDecodeException Failure(string format, Exception e) =>
        e is UnknownImageFormatException or NotSupportedException
            ? new ImageDecodeException(ImageErrorKind.UnsupportedFormat, $"{format} variant is not supported: {e.Message}", e)
            : new ImageDecodeException(ImageErrorKind.Corrupt, $"{format} data is corrupt or truncated: {e.Message}", e);

    private static Configuration CreateConfiguration()
    {
        var configuration = new Configuration(new BmpConfigurationModule(), new TiffConfigurationModule());
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }
}
