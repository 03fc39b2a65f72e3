namespace Mic.Quantization.Internal;

/// <summary>
/// A fixed-range histogram of one tensor's values over all calibration samples (of |x| when
/// <see cref="Absolute"/>), and the two range estimators that read it.
/// </summary>
internal sealed class Histogram
{
    private readonly long[] _counts;
    private readonly float _width;

    public Histogram(float min, float max, int bins, bool absolute)
    {
        Min = min;
        // An empty range (a constant tensor) still needs a positive bin width.
        Max = max > min ? max : min + 1f;
        Absolute = absolute;
        _counts = new long[bins];
        _width = (Max - Min) / bins;
    }

    public float Min { get; }

    public float Max { get; }

    public bool Absolute { get; }

    public void Add(ReadOnlySpan<float> values)
    {
        var last = _counts.Length - 1;
        foreach (var raw in values)
        {
            // Exact zeros (Relu's floor, padding) are exact at any scale; in an |x| histogram they would be a spike
            // that makes every wide range look lossy to the entropy search.
            if (Absolute && raw == 0)
            {
                continue;
            }

            var value = Absolute ? Math.Abs(raw) : raw;
            var bin = (int)((value - Min) / _width);
            _counts[Math.Clamp(bin, 0, last)]++;
        }
    }

    /// <summary>The value below which <paramref name="fraction"/> of the samples lie (a bin edge).</summary>
    public float Quantile(double fraction)
    {
        var total = _counts.Sum();
        var target = fraction * total;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target)
            {
                return Min + ((i + 1) * _width);
            }
        }

        return Max;
    }

    /// <summary>
    /// The threshold t minimizing KL(P‖Q), where P is the histogram clipped at t and Q is P squeezed into
    /// <paramref name="levels"/> quantization levels and expanded back (TensorRT's entropy calibration).
    /// </summary>
    public float EntropyThreshold(int levels)
    {
        var bins = _counts.Length;
        if (bins <= levels)
        {
            return Max;
        }

        var best = bins;
        var bestDivergence = double.PositiveInfinity;
        var p = new double[bins];
        var q = new double[bins];
        double outliers = _counts.Sum();
        for (var i = 0; i < levels - 1; i++)
        {
            outliers -= _counts[i];
        }

        for (var end = levels; end <= bins; end++)
        {
            // P: the clipped distribution, outliers piled into its last bin. Q: the unclipped bins squeezed into
            // `levels` levels, so it does not know about the outliers — clipping a lot costs divergence.
            outliers -= _counts[end - 1];
            for (var i = 0; i < end; i++)
            {
                p[i] = _counts[i];
            }

            Squeeze(p, q, end, levels);
            p[end - 1] += outliers;
            var divergence = Divergence(p, q, end);
            if (divergence < bestDivergence)
            {
                bestDivergence = divergence;
                best = end;
            }
        }

        return Min + (best * _width);
    }

    // Q: each of `levels` groups of P's bins keeps its total, spread evenly over the bins where P is non-zero.
    private static void Squeeze(double[] p, double[] q, int end, int levels)
    {
        var perLevel = (double)end / levels;
        for (var level = 0; level < levels; level++)
        {
            var start = (int)(level * perLevel);
            var stop = level == levels - 1 ? end : (int)((level + 1) * perLevel);
            double sum = 0;
            var nonZero = 0;
            for (var i = start; i < stop; i++)
            {
                sum += p[i];
                nonZero += p[i] > 0 ? 1 : 0;
            }

            for (var i = start; i < stop; i++)
            {
                q[i] = p[i] > 0 ? sum / nonZero : 0;
            }
        }
    }

    private static double Divergence(double[] p, double[] q, int end)
    {
        double totalP = 0, totalQ = 0;
        for (var i = 0; i < end; i++)
        {
            totalP += p[i];
            totalQ += q[i];
        }

        double divergence = 0;
        for (var i = 0; i < end; i++)
        {
            if (p[i] > 0)
            {
                // A bin Q leaves empty (all of P's mass there came from outliers) gets a tiny share, not infinity.
                var qi = Math.Max(q[i] / totalQ, 1e-12);
                divergence += p[i] / totalP * Math.Log(p[i] / totalP / qi);
            }
        }

        return divergence;
    }
}
