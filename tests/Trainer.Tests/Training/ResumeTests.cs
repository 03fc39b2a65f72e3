using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mic.Trainer.Tests.Training;

/// <summary>
/// --resume: a run stopped after an epoch continues from its checkpoint and ends where the uninterrupted run ends;
/// a checkpoint from other settings or none at all is refused with a message saying so.
/// </summary>
[Collection(TorchGlobalState.Name)]
public sealed class ResumeTests
{
    [Fact]
    public async Task Resume_AfterStopInTheUnfrozenPhase_ContinuesLikeTheUninterruptedRun()
    {
        using var output = new TempDirectory();
        var uninterrupted = await TrainRuns.RunAsync(Request(output.Combine("a")), null, CancellationToken.None);

        using var stop = new CancellationTokenSource();
        var stopped = await TrainRuns.RunAsync(Request(output.Combine("b")), new StopAfterEpochs(2, stop), stop.Token);
        Assert.True(stopped.Cancelled);
        Assert.Equal(2, stopped.History.Count);
        Assert.True(File.Exists(Path.Combine(Checkpoint.PathIn(output.Combine("b")), "state.json")));

        // The frozen epoch and the first unfrozen one are done; the second unfrozen epoch needs the saved AdamW moments
        // and the one-cycle position half way through the unfrozen cycle.
        var resumed = await TrainRuns.RunAsync(Request(output.Combine("b")) with { Resume = true }, null, CancellationToken.None);

        Assert.False(resumed.Cancelled);
        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(stopped.History[0], resumed.History[0]); // finished epochs come back exactly, not re-run
        Assert.Equal(stopped.History[1], resumed.History[1]);
        Assert.Equal(["frozen", "unfrozen", "unfrozen"], resumed.History.Select(h => h.Phase));
        // One thread makes the CPU run bit-for-bit reproducible, and each epoch's data order, augmentation and dropout
        // come from its own seeded stream: the resumed run must lose exactly what the uninterrupted one lost.
        Assert.Equal(uninterrupted.BatchLosses, resumed.BatchLosses);
        Assert.Equal(uninterrupted.History.Select(h => (h.TrainLoss, h.ValidLoss, h.ErrorRate)),
            resumed.History.Select(h => (h.TrainLoss, h.ValidLoss, h.ErrorRate)));
        Assert.False(Directory.Exists(Checkpoint.PathIn(output.Combine("b"))), "a finished run removes its checkpoint");
        var bundle = ModelBundle.Load(output.Combine("b"));
        Assert.Equal(3, bundle.Manifest.Training!.Epochs);
    }

    [Fact]
    public void Checkpoint_AdamWState_RoundTripsIntoAFreshOptimizer()
    {
        using var output = new TempDirectory();
        // channels_last weights, as the trainer imports them: TorchSharp's own save_state_dict refuses their moments.
        using var weight = new Parameter(randn([8, 3, 3, 3], generator: new Generator(1)).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2));
        var optimizer = optim.AdamW([weight], 1e-2);
        for (var i = 0; i < 3; i++)
        {
            optimizer.zero_grad();
            (weight * weight).sum().backward();
            optimizer.step();
        }

        var state = new CheckpointState
        {
            Fingerprint = "f",
            BaseLearningRate = 1e-2,
            Phase = "unfrozen",
            PhaseEpochsDone = 1,
            History = [],
            BatchLosses = [1.5],
            BestEpoch = new EpochResult("unfrozen", 0, 1, 1, 0.5, 1, 1),
        };
        var best = new Dictionary<string, Tensor> { ["w"] = weight * 2 };
        Checkpoint.Save(output.Path, state, new Dictionary<string, Tensor> { ["w"] = weight }, best, optimizer);

        using var fresh = new Parameter(weight.detach().clone());
        var restored = optim.AdamW([fresh], 1e-2);
        var checkpoint = Checkpoint.Open(output.Path, "f");
        checkpoint.LoadOptimizer(restored);

        var expected = (AdamW.State)optimizer.state_dict().State[0];
        var actual = (AdamW.State)restored.state_dict().State[0];
        Assert.Equal(3, actual.step);
        Assert.True(expected.exp_avg.equal(actual.exp_avg).all().item<bool>());
        Assert.True(expected.exp_avg_sq.equal(actual.exp_avg_sq).all().item<bool>());
        Assert.True(checkpoint.ReadModule()["w"].equal(weight.detach()).all().item<bool>());
        Assert.Equal(state.BestEpoch, checkpoint.State.BestEpoch);
        Assert.Equal([1.5], checkpoint.State.BatchLosses);
        Assert.True(checkpoint.ReadBest()["w"].equal(best["w"].detach()).all().item<bool>());

        // When the last epoch is the best, the weights are written once and read back as both.
        var current = new Dictionary<string, Tensor> { ["w"] = weight };
        Checkpoint.Save(output.Path, state, current, current, optimizer);
        Assert.False(File.Exists(Path.Combine(Checkpoint.PathIn(output.Path), "best.bin")));
        Assert.True(Checkpoint.Open(output.Path, "f").ReadBest()["w"].equal(weight.detach()).all().item<bool>());
    }

    [Fact]
    public async Task Resume_WithOtherSettings_IsRefusedNamingTheDifference()
    {
        using var output = new TempDirectory();
        using var stop = new CancellationTokenSource();
        await TrainRuns.RunAsync(Request(output.Path), new StopAfterEpochs(1, stop), stop.Token);

        var changed = Request(output.Path) with { Resume = true };
        changed = changed with { Training = changed.Training with { Seed = 8 } };
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TrainRuns.RunAsync(changed, null, CancellationToken.None));

        Assert.Contains("other settings or data", error.Message, StringComparison.Ordinal);
        Assert.Contains("seed 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("seed 8", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Checkpoint.PathIn(output.Path)), "a refused resume leaves the checkpoint alone");
    }

    [Fact]
    public async Task Resume_WithoutCheckpoint_SaysThereIsNone()
    {
        using var output = new TempDirectory();
        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => TrainRuns.RunAsync(Request(output.Path) with { Resume = true }, null, CancellationToken.None));

        Assert.Contains("no checkpoint in", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output.Path, "model.onnx")));
    }

    /// <summary>A small seeded one-thread run (1 frozen + 2 unfrozen epochs at 32 px) that other tests start from too.</summary>
    internal static TrainRequest Request(string output) => new()
    {
        Source = new FashionMnistSource(TestAssets.FashionMnist),
        OutputDirectory = output,
        ImageSize = 32,
        MaxTrain = 300,
        MaxValid = 100,
        Device = "cpu",
        Threads = 1,
        Version = "resume-1",
        Training = new TrainingOptions { Epochs = 2, FreezeEpochs = 1, BatchSize = 32, Seed = 7 },
    };

    private sealed class StopAfterEpochs(int epochs, CancellationTokenSource stop) : ITrainingObserver
    {
        public void EpochStarted(string phase, int epoch, int epochs, int batches)
        {
        }

        public void BatchCompleted(int batch, int batches, double loss, double imagesPerSecond)
        {
        }

        private int _done;

        public void EpochCompleted(EpochResult result)
        {
            if (++_done == epochs)
            {
                stop.Cancel();
            }
        }
    }
}

/// <summary>
/// Tests that compare runs bit for bit: torch's thread count and global generator (dropout) are process-wide, so these
/// run when no other test is training.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalState
{
    public const string Name = "torch global state";
}
