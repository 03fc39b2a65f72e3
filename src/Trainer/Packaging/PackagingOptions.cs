using Mic.Quantization;

namespace Mic.Trainer.Packaging;

/// <summary>How a trained fp32 bundle becomes the int8 bundle that is published, and when publishing is refused.</summary>
public sealed record PackagingOptions
{
    /// <summary>Training images used to calibrate activation ranges (spread evenly over the split).</summary>
    public int CalibrationImages { get; init; } = 256;

    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>Largest accepted fall in accuracy from fp32 to int8, in percentage points (default 0.5).</summary>
    public double MaxAccuracyDropPoints { get; init; } = 0.5;

    /// <summary>Accuracy (0..1) below which nothing is published, fp32 or int8.</summary>
    public double? MinAccuracy { get; init; }
}
