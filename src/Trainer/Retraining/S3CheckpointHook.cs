using Mic.Trainer.Pipeline;

namespace Mic.Trainer.Retraining;

/// <summary>
/// After each finished epoch, copies the local checkpoint the fit step has just written to S3, so the job's next
/// attempt can resume. The upload belongs to the epoch: a stop request (SIGTERM) arriving meanwhile does not cut it
/// short. A failed upload ends the run, since a job that cannot checkpoint cannot be resumed.
/// </summary>
internal sealed class S3CheckpointHook(S3Checkpoint checkpoint, TextWriter output) : IEpochHook
{
    public async Task EpochFinishedAsync(EpochCheckpoint finished, CancellationToken cancellationToken)
    {
        await checkpoint.UploadAsync(finished.Directory, CancellationToken.None);
        output.WriteLine($"checkpoint ({finished.Phase} epoch {finished.PhaseEpochsDone}): {checkpoint.Location}");
    }
}
