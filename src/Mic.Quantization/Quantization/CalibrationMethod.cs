namespace Mic.Quantization;

/// <summary>How an activation's quantization range is chosen from what the calibration images produced.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen: nothing clips, resolution is spent on outliers.</summary>
    MinMax,

    /// <summary>Cuts the tails beyond <see cref="QuantizationOptions.Percentile"/> (from a histogram).</summary>
    Percentile,

    /// <summary>The range whose 8-bit histogram loses least information (minimum KL divergence, TensorRT-style).</summary>
    Entropy,
}
