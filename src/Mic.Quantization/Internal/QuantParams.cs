namespace Mic.Quantization.Internal;

/// <summary>uint8 asymmetric quantization of one activation tensor: <c>real = (q − ZeroPoint) · Scale</c>.</summary>
internal readonly record struct QuantParams(float Scale, byte ZeroPoint)
{
    /// <summary>
    /// Parameters covering [<paramref name="min"/>, <paramref name="max"/>] widened to include 0, so zero (padding,
    /// Relu's floor) is exact. A range starting at 0 gets zero point 0, which lets ONNX Runtime drop a Relu before it.
    /// </summary>
    public static QuantParams ForRange(float min, float max)
    {
        var low = Math.Min(min, 0f);
        var high = Math.Max(max, 0f);
        if (!float.IsFinite(low) || !float.IsFinite(high))
        {
            throw new InvalidOperationException($"calibration produced a non-finite range [{min}, {max}]");
        }

        if (high - low < 1e-12f)
        {
            return new QuantParams(1f, 0);
        }

        var scale = (high - low) / 255f;
        var zeroPoint = Math.Clamp(MathF.Round(-low / scale, MidpointRounding.ToEven), 0f, 255f);
        return new QuantParams(scale, (byte)zeroPoint);
    }
}
