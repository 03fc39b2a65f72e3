using System.Globalization;
using Mic.Trainer.Training;

namespace Mic.Trainer.Retraining;

/// <summary>
/// The job's training log: one plain line per finished epoch (no progress bars: the log goes to CloudWatch), and after
/// each the local checkpoint, just written, is copied to S3. A failed upload stops the run, since a job that cannot
/// checkpoint cannot be resumed.
/// </summary>
internal sealed class EpochLog(TextWriter output, S3Checkpoint checkpoint, string localCheckpoint, int totalEpochs) : ITrainingObserver
{
    private int _finished;

    /// <summary>Epochs finished before this process started (a resumed run).</summary>
    public int AlreadyFinished { get; set; }

    public void EpochStarted(string phase, int epoch, int epochs, int batches)
    {
    }

    public void BatchCompleted(int batch, int batches, double loss, double imagesPerSecond)
    {
    }

    public void EpochCompleted(EpochResult result)
    {
        var number = AlreadyFinished + Interlocked.Increment(ref _finished);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {number}/{totalEpochs} ({result.Phase}): train loss {result.TrainLoss:F4}, valid loss {result.ValidLoss:F4}, accuracy {result.Accuracy:P2}, {result.Seconds:F1} s, {result.ImagesPerSecond:F0} img/s"));
        // The learner calls this on the training thread right after writing the checkpoint; the upload belongs to the
        // epoch, so it is not cancelled by a stop request (SIGTERM) that arrives meanwhile.
        checkpoint.UploadAsync(localCheckpoint, CancellationToken.None).GetAwaiter().GetResult();
        output.WriteLine($"checkpoint: {checkpoint.Location}");
    }
}
