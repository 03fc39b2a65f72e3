using Mic.Core.Imaging;

namespace Mic.Core.Tests.Imaging;

/// <summary>
/// Seeded random mutations of real photos in every supported format: each input must decode or fail with an
/// <see cref="ImageDecodeException"/> — never another exception, a crash or a hang. Inputs that once failed that
/// way are kept in <c>Regressions/</c> and replayed. A longer run: <c>dotnet run -c Release --project bench/Mic.Fuzz</c>.
/// </summary>
public sealed class DecoderMutationTests
{
    private const int MutantsPerSeed = 150;

    public static TheoryData<string> Seeds => new(DecoderMutator.SeedNames);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Decode_MutatedRealPhoto_FailsOnlyWithImageDecodeException(string seed)
    {
        var original = DecoderMutator.SeedBytes(seed);
        // string.GetHashCode is randomised per process, so the stream is seeded from the seed photo's place in the list.
        var random = new Random(20261128 + Array.IndexOf(DecoderMutator.SeedNames, seed));
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
}
