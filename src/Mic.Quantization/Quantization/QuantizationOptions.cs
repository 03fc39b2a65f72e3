namespace Mic.Quantization;

/// <summary>How <see cref="QdqQuantizer"/> calibrates and what it leaves in float.</summary>
public sealed record QuantizationOptions
{
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>
    /// For <see cref="CalibrationMethod.Percentile"/>: the share of values, in percent (50–100], below the range's top;
    /// a signed tensor loses the same share below its bottom.
    /// </summary>
    public double Percentile { get; init; } = 99.999;

    /// <summary>
    /// Histogram resolution for <see cref="CalibrationMethod.Percentile"/> and <see cref="CalibrationMethod.Entropy"/>;
    /// at least 512 (the entropy search needs more bins than the 256 uint8 levels).
    /// </summary>
    public int HistogramBins { get; init; } = 2048;

    /// <summary>
    /// Weights in 7 bits (±63) instead of 8 (±127). x64 CPUs without VNNI (AVX2, AVX-512 before Cascade Lake) run
    /// ONNX Runtime's fast U8S8 kernels through a 16-bit intermediate that saturates when two uint8 × int8 products
    /// exceed 32767; 7-bit weights keep every pair below it (255·63·2 = 32130), so the model is exact on any CPU.
    /// On VNNI CPUs 8 bits is a little more precise.
    /// </summary>
    public bool ReduceRange { get; init; } = true;

    /// <summary>Names of nodes to keep in float (for a layer that measures too sensitive to 8 bits).</summary>
    public IReadOnlySet<string> KeepFloat { get; init; } = new HashSet<string>();

    /// <summary>Intra-op threads of the calibration and verification sessions; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; }

    public static QuantizationOptions Default { get; } = new();
}
