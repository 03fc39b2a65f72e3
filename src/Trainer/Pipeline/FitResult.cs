using Mic.Trainer.Training;

namespace Mic.Trainer.Pipeline;

/// <summary>
/// What the fit step did. <see cref="Cancelled"/>: stopped by the user, after <see cref="History"/>'s epochs.
/// <see cref="InitialValidLoss"/> is the validation loss before any training; <see cref="ModuleValidation"/> the
/// TorchSharp module's own answer on the validation split with the exported (best) weights, set by the export step.
/// </summary>
public sealed record FitResult(
    IReadOnlyList<EpochResult> History,
    IReadOnlyList<double> BatchLosses,
    LrFinderResult? LrFinder,
    double BaseLearningRate,
    bool Cancelled,
    double InitialValidLoss)
{
    public ValidationResult? ModuleValidation { get; init; }
}
