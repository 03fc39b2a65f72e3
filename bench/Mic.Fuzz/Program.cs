using System.Diagnostics;
using System.Globalization;
using Mic.Core.Imaging;
using Mic.TestSupport;

// Long-running mutation fuzzing of the decode path. Every input that fails with anything but an
// ImageDecodeException (or hangs) is saved to tests/Mic.Core.Tests/Regressions/, where the unit tests replay it.
// Usage: dotnet run -c Release --project bench/Mic.Fuzz -- [mutants-per-seed] [seed]
var perSeed = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.TickCount;
var regressions = Path.Combine(TestAssets.RepositoryRoot, "tests", "Mic.Core.Tests", "Regressions");
var decoder = new ImageDecoder();
var random = new Random(seed);
var found = 0;
var clock = Stopwatch.StartNew();

Console.WriteLine($"fuzzing {DecoderMutator.SeedNames.Length} seeds x {perSeed} mutants, random seed {seed}");
foreach (var name in DecoderMutator.SeedNames)
{
    var original = DecoderMutator.SeedBytes(name);
    for (var i = 0; i < perSeed; i++)
    {
        var mutant = DecoderMutator.Mutate(original, random);
        if (DecoderMutator.Check(decoder, mutant) is { } error)
        {
            found++;
            var file = Path.Combine(regressions, $"fuzz-{Path.GetFileNameWithoutExtension(name)}-{seed}-{i}.bin");
            File.WriteAllBytes(file, mutant);
            Console.WriteLine($"{name} mutant {i}: {error} -> {file}");
        }
    }

    Console.WriteLine($"{name}: {perSeed} mutants done ({clock.Elapsed:mm\\:ss})");
}

Console.WriteLine($"{found} failing inputs found in {DecoderMutator.SeedNames.Length * perSeed} mutants, {clock.Elapsed:mm\\:ss}");
return found == 0 ? 0 : 1;
