using Mic.Core.Imaging;
using Mic.Core.Models;

namespace Mic.Core.Tests.Imaging;

/// <summary>A decoded image's full-size upright RGB pixels, read through the resizer at the image's own size.</summary>
internal sealed class DecodedPixels
{
    private readonly byte[] _rgb;

    private DecodedPixels(byte[] rgb, int width, int height)
    {
        _rgb = rgb;
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    public ReadOnlySpan<byte> Bytes => _rgb;

    public (byte R, byte G, byte B) this[int x, int y] => (_rgb[((y * Width) + x) * 3], _rgb[((y * Width) + x) * 3 + 1], _rgb[((y * Width) + x) * 3 + 2]);

    public static DecodedPixels Of(DecodedImage image)
    {
        var input = new ModelInput(image.Width, image.Height, ResizePolicy.Stretch);
        var rgb = new byte[ImageResizer.InputBytes(input)];
        ImageResizer.ResizeInto(image, input, rgb);
        return new DecodedPixels(rgb, image.Width, image.Height);
    }
}
