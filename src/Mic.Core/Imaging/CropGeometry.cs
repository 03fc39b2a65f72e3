using Mic.Core.Models;

namespace Mic.Core.Imaging;

/// <summary>
/// The one place that decides which source pixels become the model's input; the trainer and the function both get
/// here through <see cref="ImageResizer"/>, so a crop can never differ between training and serving.
/// <c>shorter-side-then-center-crop</c> keeps the largest centred region with the input's aspect ratio (the margin
/// cut from each side is equal, so a mirrored or rotated photo yields the mirrored or rotated crop) and scales it to
/// the input size; <c>stretch</c> scales the whole image.
/// </summary>
internal readonly record struct CropGeometry(int X, int Y, int Width, int Height)
{
    /// <summary>The region of an upright <paramref name="width"/> × <paramref name="height"/> image to scale to the input.</summary>
    internal static CropGeometry For(int width, int height, ModelInput input)
    {
        if (input.Resize == ResizePolicy.Stretch)
        {
            return new CropGeometry(0, 0, width, height);
        }

        // Compare aspect ratios exactly in integers; the margin is rounded once, in source pixels.
        if ((long)width * input.Height > (long)height * input.Width)
        {
            var margin = Margin(width, (double)height * input.Width / input.Height);
            return new CropGeometry(margin, 0, width - (2 * margin), height);
        }

        var vertical = Margin(height, (double)width * input.Height / input.Width);
        return new CropGeometry(0, vertical, width, height - (2 * vertical));
    }

    /// <summary>
    /// How far the loader may shrink the image before resizing (JPEG and WebP decode at 1/2, 1/4 or 1/8 scale): the
    /// largest power of two that still leaves at least the input's size on both axes of the crop.
    /// </summary>
    internal static int ShrinkOnLoad(int width, int height, ModelInput input, int maxShrink)
    {
        var crop = For(width, height, input);
        var factor = Math.Min((double)crop.Width / input.Width, (double)crop.Height / input.Height);
        var shrink = 1;
        while (shrink * 2 <= maxShrink && shrink * 2 <= factor)
        {
            shrink *= 2;
        }

        return shrink;
    }

    /// <summary>
    /// This upright region in the coordinates of the image as stored, before EXIF <paramref name="orientation"/>
    /// (1-8) is applied. <paramref name="width"/> × <paramref name="height"/> is the upright size.
    /// </summary>
    internal CropGeometry ToStored(int orientation, int width, int height) => orientation switch
    {
        2 => this with { X = width - X - Width },
        3 => new CropGeometry(width - X - Width, height - Y - Height, Width, Height),
        4 => this with { Y = height - Y - Height },
        5 => new CropGeometry(Y, X, Height, Width),
        6 => new CropGeometry(Y, width - X - Width, Height, Width),
        7 => new CropGeometry(height - Y - Height, width - X - Width, Height, Width),
        8 => new CropGeometry(height - Y - Height, X, Height, Width),
        _ => this,
    };

    // At least one pixel is kept, however thin the image (a 1000x1 strip still yields a 1-pixel-wide crop).
    private static int Margin(int size, double kept) =>
        Math.Clamp((int)Math.Round((size - kept) / 2, MidpointRounding.AwayFromZero), 0, (size - 1) / 2);
}
