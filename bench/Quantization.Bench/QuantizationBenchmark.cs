using System.Diagnostics;
using Google.Protobuf;
using Mic.Quantization;
using Mic.Quantization.GraphRewriting;
using Mic.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Quantization.Bench;

internal static class QuantizationBenchmark
{
    private const int Size = ResNet18Models.Size;

    public static int Run(int rounds, int creations, TextWriter output)
    {
        using var temp = new TempDirectory();
        var input = TestPhotos.ResNet18Input;
        var calibration = new CalibrationData(input.Height, input.Width,
            TestPhotos.Calibration.Select(p => (ReadOnlyMemory<byte>)TestPhotos.Pixels(p, input)));
        var heldOut = TestPhotos.HeldOut.Select(p => (Name: System.IO.Path.GetFileName(p), Pixels: TestPhotos.Pixels(p, input))).ToArray();

        var fp32 = ResNet18Models.Featurizer();
        output.WriteLine($"{Environment.ProcessorCount} logical cores, VNNI: {HasVnni()}, .NET {Environment.Version}, " +
            $"ONNX Runtime {OrtEnv.Instance().GetVersionString()}");
        output.WriteLine($"calibration: {calibration.Count} photos; held out: {heldOut.Length} photos");
        output.WriteLine();

        var original = Save(temp, "fp32.onnx", fp32);
        var folded = Save(temp, "fp32-bn-folded.onnx", BatchNormFolder.Fold(fp32).Model);
        var quantized = new Dictionary<string, Variant>();
        output.WriteLine("| int8 variant | quantize s | held-out feature cosine min / mean | report: calibration cosine min |");
        output.WriteLine("|---|---|---|---|");
        foreach (var (name, options, precision) in Variants())
        {
            var watch = Stopwatch.StartNew();
            var result = QdqQuantizer.Quantize(fp32, calibration, options);
            var seconds = watch.Elapsed.TotalSeconds;
            var variant = Save(temp, $"{name}.onnx", result.Model) with { Name = name, PrecisionMode = precision };
            quantized[name] = variant;
            var cosines = Agreement(original, variant, heldOut);
            output.WriteLine($"| {name} | {seconds:F1} | {cosines.Min():F4} / {cosines.Average():F4} | {result.Report.MinOutputCosine:F4} |");
        }

        var int8 = quantized["int8 MinMax (7-bit weights, default)"];
        output.WriteLine();
        output.WriteLine("| model | file bytes | session creation ms (median of " + creations + ") |");
        output.WriteLine("|---|---|---|");
        var creation = SessionCreation([original, folded, int8], creations);
        foreach (var variant in new[] { original, folded, int8 })
        {
            output.WriteLine($"| {variant.Name} | {variant.Bytes:N0} ({100.0 * variant.Bytes / original.Bytes:F0}%) | {creation[variant]:F0} |");
        }

        output.WriteLine();
        output.WriteLine($"Batch 1, {rounds} interleaved rounds after 10 warm-up runs each (median / p90 ms):");
        output.WriteLine();
        var eightBit = quantized["int8 MinMax (8-bit weights, x64quantprecision=1)"];
        output.WriteLine($"| threads | fp32 | {int8.Name} | speed-up | {eightBit.Name} | speed-up |");
        output.WriteLine("|---|---|---|---|---|---|");
        var pixels = heldOut[0].Pixels;
        foreach (var threads in new[] { 1, 2 })
        {
            var times = Interleaved([original, int8, eightBit], threads, pixels, rounds);
            var baseline = Median(times[original]);
            output.WriteLine($"| {threads} | {Stat(times[original])} | {Stat(times[int8])} | {baseline / Median(times[int8]):F2}x | " +
                $"{Stat(times[eightBit])} | {baseline / Median(times[eightBit]):F2}x |");
        }

        return 0;
    }

    private static IEnumerable<(string Name, QuantizationOptions Options, bool PrecisionMode)> Variants()
    {
        yield return ("int8 MinMax (7-bit weights, default)", QuantizationOptions.Default, false);
        yield return ("int8 Percentile 99.999", new QuantizationOptions { Method = CalibrationMethod.Percentile }, false);
        yield return ("int8 Entropy", new QuantizationOptions { Method = CalibrationMethod.Entropy }, false);
        yield return ("int8 MinMax (8-bit weights)", new QuantizationOptions { ReduceRange = false }, false);
        yield return ("int8 MinMax (8-bit weights, x64quantprecision=1)", new QuantizationOptions { ReduceRange = false }, true);
    }

    private static Variant Save(TempDirectory temp, string file, ModelProto model)
    {
        var path = temp.Combine(file);
        File.WriteAllBytes(path, model.ToByteArray());
        return new Variant(System.IO.Path.GetFileNameWithoutExtension(file), path);
    }

    private static double[] Agreement(Variant fp32, Variant int8, (string Name, byte[] Pixels)[] photos)
    {
        using var expected = fp32.Open(0);
        using var actual = int8.Open(0);
        return [.. photos.Select(p => Cosine(Features(expected, p.Pixels), Features(actual, p.Pixels)))];
    }

    private static Dictionary<Variant, double> SessionCreation(Variant[] variants, int creations)
    {
        var times = variants.ToDictionary(v => v, _ => new List<double>());
        for (var i = 0; i < creations; i++)
        {
            foreach (var variant in variants)
            {
                var start = Stopwatch.GetTimestamp();
                using (variant.Open(2))
                {
                    times[variant].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }

        return times.ToDictionary(t => t.Key, t => Median(t.Value));
    }

    private static Dictionary<Variant, List<double>> Interleaved(Variant[] variants, int threads, byte[] pixels, int rounds)
    {
        var sessions = variants.ToDictionary(v => v, v => v.Open(threads));
        try
        {
            foreach (var session in sessions.Values)
            {
                for (var i = 0; i < 10; i++)
                {
                    Features(session, pixels);
                }
            }

            var times = variants.ToDictionary(v => v, _ => new List<double>());
            for (var round = 0; round < rounds; round++)
            {
                // Rotate the order so no variant always runs right after the same neighbour.
                for (var k = 0; k < variants.Length; k++)
                {
                    var variant = variants[(round + k) % variants.Length];
                    var start = Stopwatch.GetTimestamp();
                    Features(sessions[variant], pixels);
                    times[variant].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }

            return times;
        }
        finally
        {
            foreach (var session in sessions.Values)
            {
                session.Dispose();
            }
        }
    }

    private static float[] Features(InferenceSession session, byte[] pixels)
    {
        using var tensor = OrtValue.CreateTensorValueFromMemory(pixels, [1, Size, Size, 3]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["pixels"], [tensor], ["features"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(y => (double)y * y));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string Stat(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return $"{sorted[sorted.Length / 2]:F1} / {sorted[(int)(sorted.Length * 0.9)]:F1}";
    }

    private static bool HasVnni() =>
        File.Exists("/proc/cpuinfo") && File.ReadAllText("/proc/cpuinfo").Split([' ', '\n', '\t']).Any(f => f is "avx512_vnni" or "avx_vnni");
}
