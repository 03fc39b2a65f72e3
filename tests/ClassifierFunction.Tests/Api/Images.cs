using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.ClassifierFunction.Tests.Api;

internal static class Images
{
    /// <summary>A real photo tinted strongly towards one colour, as a JPEG: the mean-colour model must name that colour.</summary>
    public static byte[] TintedPhoto(string colour)
    {
        using var photo = Image.Load<Rgb24>(TestAssets.Skimage("coffee.png"));
        var (r, g, b) = colour switch { "red" => (255, 0, 0), "green" => (0, 255, 0), _ => (0, 0, 255) };
        photo.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (ref var p in rows.GetRowSpan(y))
                {
                    p = new Rgb24((byte)((p.R * 0.15) + (r * 0.85)), (byte)((p.G * 0.15) + (g * 0.85)), (byte)((p.B * 0.15) + (b * 0.85)));
                }
            }
        });
        using var output = new MemoryStream();
        photo.Save(output, new JpegEncoder { Quality = 85 });
        return output.ToArray();
    }
}
