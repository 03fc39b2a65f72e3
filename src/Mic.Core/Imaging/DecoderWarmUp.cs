using Mic.Core.Models;
using NetVips;

namespace Mic.Core.Imaging;

/// <summary>
/// Runs one tiny JPEG through <see cref="ImageDecoder.Decode"/> and <see cref="ImageResizer.ResizeInto"/>, so libvips
/// is loaded and initialised and the decode path's code is ready before the first request instead of during it. A
/// server calls it at start-up, beside the model load.
/// </summary>
public static class DecoderWarmUp
{
    public static void Run(ImageDecoder decoder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        byte[] jpeg;
        using (var grey = Image.Black(16, 16))
        {
            jpeg = grey.JpegsaveBuffer();
        }

        var input = new ModelInput(8, 8, ResizePolicy.ShorterSideThenCenterCrop);
        using var image = decoder.Decode(jpeg, cancellationToken);
        ImageResizer.ResizeInto(image, input, new byte[ImageResizer.InputBytes(input)]);
    }
}
