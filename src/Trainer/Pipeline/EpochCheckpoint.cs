using Mic.Trainer.Training;

namespace Mic.Trainer.Pipeline;

/// <summary>
/// An epoch that has just finished: its figures, the phase (<c>frozen</c> or <c>unfrozen</c>) and epochs done in it,
/// and the folder of the checkpoint written for it (<see cref="Checkpoint.PathIn"/>; rewritten after the next epoch,
/// so copy it before returning).
/// </summary>
public sealed record EpochCheckpoint(EpochResult Epoch, string Phase, int PhaseEpochsDone, string Directory);
