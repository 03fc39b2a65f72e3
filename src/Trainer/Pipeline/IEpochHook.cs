namespace Mic.Trainer.Pipeline;

/// <summary>
/// Called by the fit step after every finished epoch, once the local checkpoint (<see cref="Training.Checkpoint"/>,
/// what <c>--resume</c> reads) is on disk: e.g. to upload that checkpoint. Runs on the training thread, which waits
/// for it; an exception ends the run. Not called for an epoch the run was stopped in.
/// </summary>
public interface IEpochHook
{
    Task EpochFinishedAsync(EpochCheckpoint checkpoint, CancellationToken cancellationToken);
}
