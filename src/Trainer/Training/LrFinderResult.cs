namespace Mic.Trainer.Training;

/// <summary>The lr finder's sweep (learning rate, smoothed loss) and fast.ai's "valley" suggestion.</summary>
public sealed record LrFinderResult(IReadOnlyList<double> LearningRates, IReadOnlyList<double> Losses, double Valley);
