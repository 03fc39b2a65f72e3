namespace Mic.Trainer.Training;

/// <summary>fast.ai's one-cycle policy: cosine warm-up from lr/div to lr over <c>pctStart</c>, then cosine annealing to
/// lr/divFinal; momentum (Adam's β1) moves the opposite way, 0.95 → 0.85 → 0.95.</summary>
public static class OneCycle
{
    public const double MomentumHigh = 0.95;
    public const double MomentumLow = 0.85;

    /// <summary>Learning-rate multiplier of lrMax at <paramref name="position"/> ∈ [0, 1] of the cycle.</summary>
    public static double LearningRateFactor(double position, double pctStart, double div, double divFinal) =>
        Combined(position, pctStart, 1 / div, 1, 1 / divFinal);

    public static double Momentum(double position, double pctStart) =>
        Combined(position, pctStart, MomentumHigh, MomentumLow, MomentumHigh);

    /// <summary>fast.ai's <c>SchedCos</c>: start + (1 + cos(π(1 − pos))) (end − start) / 2.</summary>
    public static double Cosine(double start, double end, double position) =>
        start + ((1 + Math.Cos(Math.PI * (1 - position))) * (end - start) / 2);

    /// <summary>fast.ai's <c>even_mults</c>: <paramref name="count"/> values from <paramref name="low"/> to <paramref name="high"/>, evenly spaced in log scale.</summary>
    public static double[] EvenMultiples(double low, double high, int count) =>
        count == 1 ? [high] : Enumerable.Range(0, count).Select(i => low * Math.Pow(high / low, i / (double)(count - 1))).ToArray();

    private static double Combined(double position, double pct, double start, double middle, double end) =>
        position < pct
            ? Cosine(start, middle, pct == 0 ? 1 : position / pct)
            : Cosine(middle, end, pct >= 1 ? 1 : (position - pct) / (1 - pct));
}
