using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Training;

namespace Mic.Trainer.Tests.Training;

/// <summary>Ctrl+C semantics: stop between batches, keep the best finished epoch, still write a loadable bundle.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task RunAsync_CancelledAfterFirstEpoch_WritesTheBestEpochAndStops()
    {
        using var output = new TempDirectory();
        using var stop = new CancellationTokenSource();
        var observer = new CancelAfterFirstEpoch(stop);
        var request = new TrainRequest
        {
            Source = new FashionMnistSource(TestAssets.FashionMnist),
            OutputDirectory = output.Path,
            ImageSize = 32,
            MaxTrain = 300,
            MaxValid = 100,
            Device = "cpu",
            Version = "cancelled-1",
            Training = new TrainingOptions { Epochs = 3, FreezeEpochs = 1, BatchSize = 32, Seed = 2 },
        };

        var outcome = await TrainRuns.RunAsync(request, observer, stop.Token);

        Assert.True(outcome.Cancelled);
        Assert.Single(outcome.History);
        Assert.True(observer.BatchesAfterCancel <= 1, $"{observer.BatchesAfterCancel} batches ran after the cancel");
        var bundle = ModelBundle.Load(output.Path);
        Assert.Contains("stopped early", bundle.Manifest.Training!.Schedule, StringComparison.Ordinal);
        Assert.Equal(1, bundle.Manifest.Training.Epochs);
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeStart_ThrowsWithoutWriting()
    {
        using var output = new TempDirectory();
        var request = new TrainRequest
        {
            Source = new FashionMnistSource(TestAssets.FashionMnist),
            OutputDirectory = output.Combine("bundle"),
            ImageSize = 32,
            MaxTrain = 50,
            MaxValid = 20,
            Device = "cpu",
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TrainRuns.RunAsync(request, null, new CancellationToken(true)));
        Assert.False(Directory.Exists(request.OutputDirectory));
    }

    private sealed class CancelAfterFirstEpoch(CancellationTokenSource stop) : ITrainingObserver
    {
        public int BatchesAfterCancel { get; private set; }

        public void EpochStarted(string phase, int epoch, int epochs, int batches)
        {
        }

        public void BatchCompleted(int batch, int batches, double loss, double imagesPerSecond)
        {
            if (stop.IsCancellationRequested)
            {
                BatchesAfterCancel++;
            }
        }

        public void EpochCompleted(EpochResult result) => stop.Cancel();
    }
}
