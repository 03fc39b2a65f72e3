using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Core.Imaging;

/// <summary>
/// An upright RGB image (EXIF orientation applied, alpha flattened onto white). Owns <see cref="Image"/>:
/// dispose it to return its pixel memory to the pool.
/// </summary>
public sealed class DecodedImage(Image<Rgb24> image, string format) : IDisposable
{
    public Image<Rgb24> Image { get; } = image;

    /// <summary>Lower-case format name: jpeg, png, gif, bmp, tiff, webp.</summary>
    public string Format { get; } = format;

    public int Width => Image.Width;

    public int Height => Image.Height;

    public void Dispose() => Image.Dispose();
}
