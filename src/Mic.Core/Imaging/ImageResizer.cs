using System.Runtime.InteropServices;
using Mic.Core.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace Mic.Core.Imaging;

/// <summary>
/// Turns a decoded image into the model's input: <c>height × width × 3</c> bytes, RGB, row-major (one NHWC sample).
/// The trainer and the function both call this, so their crop arithmetic cannot differ (DESIGN.md).
/// </summary>
public static class ImageResizer
{
    /// <summary>Bilinear with antialiasing on downscale, like torchvision's default resize.</summary>
    public static IResampler Resampler => KnownResamplers.Triangle;

    public static int InputBytes(ModelInput input) => input.Width * input.Height * 3;

    /// <summary>
    /// Resizes <paramref name="source"/> per <paramref name="input"/>'s policy and writes the pixels into
    /// <paramref name="destination"/>, which must hold at least <see cref="InputBytes"/> bytes.
    /// The source is not modified.
    /// </summary>
    public static void ResizeInto(Image<Rgb24> source, ModelInput input, Memory<byte> destination)
    {
        var rowBytes = input.Width * 3;
        if (destination.Length < rowBytes * input.Height)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; {rowBytes * input.Height} needed", nameof(destination));
        }

        var options = new ResizeOptions
        {
            Size = new Size(input.Width, input.Height),
            Mode = input.Resize == ResizePolicy.Stretch ? ResizeMode.Stretch : ResizeMode.Crop,
            Position = AnchorPositionMode.Center,
            Sampler = Resampler,
        };

        if (source.Width == input.Width && source.Height == input.Height)
        {
            CopyRows(source, destination, rowBytes);
            return;
        }

        using var resized = source.Clone(x => x.Resize(options));
        CopyRows(resized, destination, rowBytes);
    }

    private static void CopyRows(Image<Rgb24> image, Memory<byte> destination, int rowBytes) =>
        image.ProcessPixelRows(accessor =>
        {
            var target = destination.Span;
            for (var y = 0; y < accessor.Height; y++)
            {
                MemoryMarshal.AsBytes(accessor.GetRowSpan(y)).CopyTo(target.Slice(y * rowBytes, rowBytes));
            }
        });
}
