namespace Mic.Trainer.Training;

/// <summary>One epoch's numbers, as fast.ai's table shows them. Losses are mean cross-entropy.</summary>
public sealed record EpochResult(string Phase, int Epoch, double TrainLoss, double ValidLoss, double ErrorRate, double Seconds,
    double ImagesPerSecond)
{
    public double Accuracy => 1 - ErrorRate;
}
