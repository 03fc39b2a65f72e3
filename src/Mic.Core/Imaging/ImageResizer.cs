using Mic.Core.Models;
using NetVips;

namespace Mic.Core.Imaging;

/// <summary>
/// Turns a decoded image into the model's input: <c>height × width × 3</c> bytes, RGB, row-major (one NHWC sample).
/// The trainer and the function both call this, so their crop arithmetic (<see cref="CropGeometry"/>) cannot differ
/// (docs/benchmarks.md, "Decoder").
/// </summary>
public static class ImageResizer
{
    /// <summary>Bilinear ("linear" in libvips), widened by the scale factor when shrinking, i.e. antialiased.</summary>
    internal const Enums.Kernel Kernel = Enums.Kernel.Linear;

    // libvips' default: box-shrink by the integer part of factor / 2 first, then reduce the rest with the kernel.
    private const double ReduceGap = 2.0;

    public static int InputBytes(ModelInput input) => input.Width * input.Height * 3;

    /// <summary>
    /// Decodes <paramref name="source"/>'s pixels (at a reduced scale where the format allows), crops and resizes them
    /// per <paramref name="input"/>'s policy, applies the EXIF orientation and writes the pixels into
    /// <paramref name="destination"/>, which must hold at least <see cref="InputBytes"/> bytes.
    /// </summary>
    /// <exception cref="ImageDecodeException">The pixel data turns out to be corrupt.</exception>
    public static void ResizeInto(DecodedImage source, ModelInput input, Memory<byte> destination) =>
        ResizeWithMaxShrink(source, input, destination, source.MaxShrink);

    /// <summary><see cref="ResizeInto"/> with shrink-on-load capped (1: full decode).</summary>
    internal static void ResizeWithMaxShrink(DecodedImage source, ModelInput input, Memory<byte> destination, int maxShrink)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bytes = InputBytes(input);
        if (destination.Length < bytes)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; {bytes} needed", nameof(destination));
        }

        var shrink = CropGeometry.ShrinkOnLoad(source.Width, source.Height, input, Math.Min(maxShrink, source.MaxShrink));
        try
        {
            using var output = Render(source, input, shrink);
            CopyOut(output, destination.Span[..bytes]);
        }
        catch (VipsException e)
        {
            throw ImageDecoder.Corrupt(source.Format, e);
        }
    }

    private static Image Render(DecodedImage source, ModelInput input, int shrink)
    {
        var image = source.OpenRgb(shrink);
        try
        {
            var transposed = source.Orientation >= 5;
            var (width, height) = transposed ? (image.Height, image.Width) : (image.Width, image.Height);
            var crop = CropGeometry.For(width, height, input).ToStored(source.Orientation, width, height);
            var (targetWidth, targetHeight) = transposed ? (input.Height, input.Width) : (input.Width, input.Height);

            if (crop.Width != image.Width || crop.Height != image.Height)
            {
                Replace(ref image, image.ExtractArea(crop.X, crop.Y, crop.Width, crop.Height));
            }

            Scale(ref image, targetWidth, targetHeight);

            if (image.Width != targetWidth || image.Height != targetHeight)
            {
                throw new InvalidOperationException(
                    $"resize produced {image.Width}x{image.Height} instead of {targetWidth}x{targetHeight}");
            }

            return source.Orientation == 1 ? image : Orient(image, source.Orientation);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Scales each axis to its target with pixel centres aligned (source x = (x + 0.5) / scale - 0.5): shrinking with
    /// libvips' reduce (a bilinear kernel widened by the factor, after an integer box pre-shrink when the factor is
    /// over 4), enlarging with bilinear interpolation, edges repeated.
    /// </summary>
    private static void Scale(ref Image image, int width, int height)
    {
        if (height < image.Height)
        {
            Replace(ref image, image.Reducev((double)image.Height / height, Kernel, ReduceGap));
        }

        if (width < image.Width)
        {
            Replace(ref image, image.Reduceh((double)image.Width / width, Kernel, ReduceGap));
        }

        if (width > image.Width || height > image.Height)
        {
            double h = (double)width / image.Width, v = (double)height / image.Height;
            using var bilinear = Interpolate.NewFromName("bilinear");
            Replace(ref image, image.Affine([h, 0, 0, v], bilinear, oarea: [0, 0, width, height],
                idx: 0.5 * (1 - (1 / h)), idy: 0.5 * (1 - (1 / v)), extend: Enums.Extend.Copy));
        }
    }

    // The small result is rotated, not the source: rotating needs the whole image in memory.
    private static Image Orient(Image image, int orientation)
    {
        Replace(ref image, image.CopyMemory());
        switch (orientation)
        {
            case 2:
                Replace(ref image, image.FlipHor());
                break;
            case 3:
                Replace(ref image, image.Rot180());
                break;
            case 4:
                Replace(ref image, image.FlipVer());
                break;
            case 5:
                Replace(ref image, image.Rot90());
                Replace(ref image, image.FlipHor());
                break;
            case 6:
                Replace(ref image, image.Rot90());
                break;
            case 7:
                Replace(ref image, image.Rot270());
                Replace(ref image, image.FlipHor());
                break;
            case 8:
                Replace(ref image, image.Rot270());
                break;
        }

        return image;
    }

    private static unsafe void CopyOut(Image image, Span<byte> destination)
    {
        var pointer = image.WriteToMemory(out var size);
        try
        {
            if (size != (ulong)destination.Length)
            {
                throw new InvalidOperationException($"libvips wrote {size} bytes; {destination.Length} expected");
            }

            new ReadOnlySpan<byte>((void*)pointer, destination.Length).CopyTo(destination);
        }
        finally
        {
            NetVips.NetVips.Free(pointer);
        }
    }

    private static void Replace(ref Image current, Image next)
    {
        current.Dispose();
        current = next;
    }
}
