namespace Mic.Trainer.Training;

/// <summary>Receives progress from a <see cref="Learner"/>, on the training thread; keep handlers quick.</summary>
public interface ITrainingObserver
{
    void EpochStarted(string phase, int epoch, int epochs, int batches);

    void BatchCompleted(int batch, int batches, double loss, double imagesPerSecond);

    void EpochCompleted(EpochResult result);
}
