using Mic.Quantization.Internal;

namespace Mic.Quantization.Tests.Internal;

public sealed class HistogramTests
{
    [Fact]
    public void Quantile_LoneOutlier_CutBelowIt()
    {
        var values = Uniform(100_000, 1f).Append(100f).ToArray();
        var histogram = new Histogram(0, 100, 2048, absolute: false);
        histogram.Add(values);

        Assert.InRange(histogram.Quantile(0.9999), 0.95f, 1.1f);
        Assert.Equal(100f, histogram.Quantile(1.0), 1);
    }

    [Fact]
    public void EntropyThreshold_LoneOutlier_ClipsIt()
    {
        var values = Uniform(100_000, 1f).Append(100f).ToArray();
        var histogram = new Histogram(0, 100, 2048, absolute: true);
        histogram.Add(values);

        // The search starts at `levels` bins (12.5 here): finer than that the histogram cannot say.
        Assert.InRange(histogram.EntropyThreshold(levels: 256), 0.9f, 12.6f);
    }

    [Fact]
    public void EntropyThreshold_UniformValues_KeepsNearlyAllOfTheRange()
    {
        var histogram = new Histogram(0, 1, 2048, absolute: true);
        histogram.Add(Uniform(100_000, 1f));

        Assert.InRange(histogram.EntropyThreshold(levels: 256), 0.9f, 1.0f);
    }

    [Fact]
    public void Add_ExactZerosInAbsoluteHistogram_Ignored()
    {
        var histogram = new Histogram(0, 1, 16, absolute: true);
        histogram.Add([0f, 0f, 0f, 0f, 0f, 0f, 0.9f]);

        Assert.InRange(histogram.Quantile(0.5), 0.9f, 1.0f);
    }

    private static float[] Uniform(int count, float max)
    {
        var random = new Random(11);
        return [.. Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() * max)];
    }
}
