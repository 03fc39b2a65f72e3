namespace Mic.Trainer.Training;

public sealed class NullTrainingObserver : ITrainingObserver
{
    public static NullTrainingObserver Instance { get; } = new();

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
