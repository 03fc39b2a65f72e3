using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Export;

namespace Mic.Trainer.Training;

/// <summary>
/// What a run produced. <see cref="Cancelled"/> runs still hold the best epoch's bundle when one finished.
/// <see cref="InitialValidLoss"/> is the validation loss before any training; <see cref="ModuleValidation"/> is the
/// TorchSharp module's own answer on the validation split with the exported (best) weights.
/// </summary>
public sealed record TrainOutcome(
    ModelBundle? Bundle,
    Evaluation? Evaluation,
    Dataset Dataset,
    IReadOnlyList<EpochResult> History,
    IReadOnlyList<double> BatchLosses,
    LrFinderResult? LrFinder,
    double BaseLearningRate,
    bool Cancelled,
    double Seconds,
    double InitialValidLoss,
    ValidationResult? ModuleValidation);
