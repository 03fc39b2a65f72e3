using Mic.Trainer.Training;

namespace Mic.Trainer.Pipeline;

public sealed class NullPipelineObserver : IPipelineObserver
{
    public static NullPipelineObserver Instance { get; } = new();

    public void StepStarted(string name)
    {
    }

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
    }
}
