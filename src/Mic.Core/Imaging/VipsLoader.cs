using NetVips;

namespace Mic.Core.Imaging;

/// <summary>
/// Opens one of the allowed formats with its own libvips loader (never libvips' format guessing) and turns whatever
/// it holds into 8-bit sRGB with three bands, as every decoder path of MIC must.
/// </summary>
internal static class VipsLoader
{
    /// <summary>Largest shrink-on-load a format's loader supports (JPEG DCT scaling, WebP scaled decoding).</summary>
    internal static int MaxShrink(EncodedFormat format) => format is EncodedFormat.Jpeg or EncodedFormat.Webp ? 8 : 1;

    /// <summary>
    /// A lazy image: only the header is read here; pixels are decoded when a later step pulls them, in one
    /// top-to-bottom pass. libvips fails on decoder errors, not only on truncation (its default is to carry on).
    /// </summary>
    internal static Image Open(Source source, EncodedFormat format, int shrink = 1) => format switch
    {
        EncodedFormat.Jpeg => Image.JpegloadSource(source, shrink: shrink, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error),
        EncodedFormat.Png => Image.PngloadSource(source, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error),
        EncodedFormat.Webp => Image.WebploadSource(source, scale: 1.0 / shrink, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error),
        EncodedFormat.Gif => Image.GifloadSource(source, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a libvips format here"),
    };

    /// <summary>
    /// 8-bit, three-band sRGB: 16-bit samples scaled to 8 bits with rounding (65535 → 255), alpha flattened onto
    /// white (transparent pixels carry arbitrary colour), CMYK converted through its embedded or libvips' default
    /// profile, grey copied to R, G and B. Embedded RGB profiles are not applied. Disposes <paramref name="image"/>.
    /// </summary>
    internal static Image ToRgb(Image image)
    {
        var current = image;
        try
        {
            if (current.Format == Enums.BandFormat.Ushort)
            {
                var grey = current.Interpretation is Enums.Interpretation.Grey16 or Enums.Interpretation.Bw;
                Replace(ref current, current.Linear([255.0 / 65535], [0.5]));
                Replace(ref current, current.Cast(Enums.BandFormat.Uchar));
                Replace(ref current, current.Copy(interpretation: grey ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb));
            }
            else if (current.Format != Enums.BandFormat.Uchar)
            {
                Replace(ref current, current.Colourspace(Enums.Interpretation.Srgb));
            }

            if (current.HasAlpha())
            {
                Replace(ref current, current.Flatten(background: Enumerable.Repeat(255.0, current.Bands - 1).ToArray()));
            }

            if (current.Interpretation == Enums.Interpretation.Cmyk && current.Bands >= 4)
            {
                Replace(ref current, current.Colourspace(Enums.Interpretation.Srgb));
            }

            if (current.Bands < 3)
            {
                // Labelled sRGB: left labelled B_W, three equal bands come out of the bilinear enlargement unequal.
                using var first = current.ExtractBand(0);
                using var joined = first.Bandjoin(first, first);
                Replace(ref current, joined.Copy(interpretation: Enums.Interpretation.Srgb));
            }
            else if (current.Bands > 3)
            {
                Replace(ref current, current.ExtractBand(0, n: 3));
            }

            if (current.Format != Enums.BandFormat.Uchar)
            {
                Replace(ref current, current.Cast(Enums.BandFormat.Uchar));
            }

            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    private static void Replace(ref Image current, Image next)
    {
        current.Dispose();
        current = next;
    }
}
