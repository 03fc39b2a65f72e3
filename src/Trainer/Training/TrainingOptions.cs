namespace Mic.Trainer.Training;

/// <summary>fast.ai <c>fine_tune</c> settings and the machinery to run them. Defaults are fast.ai's.</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 1;
    public int FreezeEpochs { get; init; } = 1;

    /// <summary>Base learning rate; null = pick it with the lr finder (valley).</summary>
    public double? BaseLearningRate { get; init; } = 2e-3;
    public int BatchSize { get; init; } = 64;
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Body groups train at base/LrMult … base after unfreezing.</summary>
    public double LrMult { get; init; } = 100;
    public double PctStart { get; init; } = 0.3;
    public double Div { get; init; } = 5;
    public double DivFinal { get; init; } = 1e5;

    /// <summary>Label smoothing ε (0 = plain cross-entropy; fast.ai's LabelSmoothingCrossEntropy uses 0.1).</summary>
    public double LabelSmoothing { get; init; }
    public Augmentation Augmentation { get; init; } = Augmentation.Default;
    public int Seed { get; init; } = 42;
    public bool ChannelsLast { get; init; } = true;

    /// <summary>
    /// ", label smoothing ε" for schedules and checkpoint fingerprints; empty without it, so those written before the
    /// option read the same.
    /// </summary>
    internal string LabelSmoothingText =>
        LabelSmoothing == 0 ? "" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $", label smoothing {LabelSmoothing}");
}
