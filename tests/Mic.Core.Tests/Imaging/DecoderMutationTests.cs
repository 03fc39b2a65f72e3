using Mic.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Mic.Core.Tests.Imaging;

/// <summary>
/// Seeded random mutations of real photos in every supported format: each input must decode or fail with an
/// <see cref="ImageDecodeException"/> — never another exception, a crash or a hang. Inputs that once failed that
/// way are kept in <c>Regressions/</c> and replayed. A longer run: <c>dotnet run --project fuzz/Mic.Fuzz</c>.
/// </summary>
public sealed class DecoderMutationTests
{
    private const int MutantsPerSeed = 150;

    public static TheoryData<string> Seeds => ["rocket.jpg", "motorcycle_left.png", "no_time_for_that_tiny.gif",
        "multipage_rgb.tif", "chessboard_GRAY_U16.tif", "palette_color.png", "webp", "bmp"];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Decode_MutatedRealPhoto_FailsOnlyWithImageDecodeException(string seed)
    {
        var original = SeedBytes(seed);
        var random = new Random(seed.GetHashCode(StringComparison.Ordinal) & 0x7fffffff ^ 20261128);
        var decoder = new ImageDecoder();
        var failures = new List<string>();

        for (var i = 0; i < MutantsPerSeed; i++)
        {
            var mutant = DecoderMutator.Mutate(original, random);
            var error = DecoderMutator.Check(decoder, mutant);
            if (error is not null)
            {
                failures.Add($"mutant {i}: {error}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Decode_KeptRegressionInputs_FailOnlyWithImageDecodeException()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Regressions");
        var inputs = Directory.GetFiles(directory);
        Assert.NotEmpty(inputs);

        var decoder = new ImageDecoder();
        var failures = inputs.Select(path => (path, error: DecoderMutator.Check(decoder, File.ReadAllBytes(path))))
            .Where(r => r.error is not null)
            .Select(r => $"{Path.GetFileName(r.path)}: {r.error}");

        Assert.Empty(failures);
    }

    /// <summary>The seed photos: skimage files, plus a real photo re-encoded as WebP and BMP (no such file ships).</summary>
    internal static byte[] SeedBytes(string seed)
    {
        if (seed is not ("webp" or "bmp"))
        {
            return TestAssets.Bytes(TestAssets.Skimage(seed));
        }

        using var photo = Image.Load<Rgb24>(TestAssets.Skimage("chelsea.png"));
        photo.Mutate(x => x.Resize(64, 48));
        using var encoded = new MemoryStream();
        photo.Save(encoded, seed == "webp" ? new WebpEncoder() : new BmpEncoder());
        return encoded.ToArray();
    }
}
