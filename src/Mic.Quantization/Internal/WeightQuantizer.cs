namespace Mic.Quantization.Internal;

/// <summary>Symmetric per-channel int8 weights (zero point 0, range ±127 or ±63) and int32 biases to match them.</summary>
internal static class WeightQuantizer
{
    /// <summary>
    /// Quantizes <paramref name="weights"/> (dense, row-major <paramref name="dims"/>) with one scale per index of
    /// <paramref name="axis"/>: <c>scale = max|w| / limit</c> (127, or 63 for reduced range), never below <paramref name="minScales"/> where given.
    /// </summary>
    public static (sbyte[] Values, float[] Scales) PerChannel(float[] weights, IReadOnlyList<long> dims, int axis,
        int limit, float[]? minScales = null)
    {
        var channels = (int)dims[axis];
        var inner = 1;
        for (var d = axis + 1; d < dims.Count; d++)
        {
            inner *= (int)dims[d];
        }

        var absMax = new float[channels];
        for (var i = 0; i < weights.Length; i++)
        {
            var c = i / inner % channels;
            absMax[c] = Math.Max(absMax[c], Math.Abs(weights[i]));
        }

        var scales = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            // An all-zero channel quantizes to zeros under any scale; 1 keeps the arithmetic finite.
            scales[c] = absMax[c] > 0 ? absMax[c] / limit : 1f;
            if (minScales is not null)
            {
                scales[c] = Math.Max(scales[c], minScales[c]);
            }
        }

        var values = new sbyte[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            var q = MathF.Round(weights[i] / scales[i / inner % channels], MidpointRounding.ToEven);
            values[i] = (sbyte)Math.Clamp(q, -limit, limit);
        }

        return (values, scales);
    }

    /// <summary>
    /// The smallest weight scale per channel that keeps <c>bias / (inputScale · weightScale)</c> inside int32, so a
    /// large bias over tiny weights cannot overflow.
    /// </summary>
    public static float[] MinScalesForBias(float[] bias, float inputScale) =>
        [.. bias.Select(b => (float)(Math.Abs(b) / (inputScale * (double)(int.MaxValue / 2))))];

    public static int[] Bias(float[] bias, float inputScale, float[] weightScales)
    {
        var values = new int[bias.Length];
        for (var c = 0; c < bias.Length; c++)
        {
            values[c] = (int)Math.Round(bias[c] / ((double)inputScale * weightScales[c]), MidpointRounding.ToEven);
        }

        return values;
    }
}
