using System.Globalization;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Training;

namespace Mic.Trainer.Retraining;

/// <summary>
/// The job's log: a line as each pipeline step starts and one per finished epoch; no progress bars, since the log
/// goes to CloudWatch. Epochs are numbered across attempts: a resumed run continues the count.
/// </summary>
internal sealed class RetrainLog(TextWriter output, int totalEpochs, int alreadyFinished) : IPipelineObserver
{
    private int _finished;

    public void StepStarted(string name) => output.WriteLine($"== {name}");

    public void Report((int Done, int Total) value)
    {
    }

    public void EpochStarted(string phase, int epoch, int epochs, int batches)
    {
    }

    public void BatchCompleted(int batch, int batches, double loss, double imagesPerSecond)
    {
    }

    public void EpochCompleted(EpochResult result)
    {
        var number = alreadyFinished + Interlocked.Increment(ref _finished);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {number}/{totalEpochs} ({result.Phase}): train loss {result.TrainLoss:F4}, valid loss {result.ValidLoss:F4}, accuracy {result.Accuracy:P2}, {result.Seconds:F1} s, {result.ImagesPerSecond:F0} img/s"));
    }
}
