namespace Mic.Trainer.Training;

/// <summary>Loss, error rate and per-image probabilities (row-major [Count, Classes]) on the validation split.</summary>
public sealed record ValidationResult(double Loss, double ErrorRate, float[] Probabilities, int Classes);
