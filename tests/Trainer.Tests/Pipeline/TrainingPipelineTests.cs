using Mic.Core.Store;
using Mic.Trainer.Data;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Training;

namespace Mic.Trainer.Tests.Pipeline;

/// <summary>
/// The pipeline's extension points, as the retraining job uses them: a step that ends the run early, a check that
/// refuses to publish, and a hook at every finished epoch.
/// </summary>
public sealed class TrainingPipelineTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_StepEndsTheRun_LaterStepsDoNotRunAndTheOutcomeSaysWhy()
    {
        var ran = new List<string>();
        var pipeline = new TrainingPipeline(
        [
            new Step("first", ran, StepResult.Next),
            new Step("skip", ran, StepResult.End(PipelineOutcome.Skipped("dataset unchanged"))),
            new Step("never", ran, StepResult.Next),
        ]);
        using var run = new PipelineRun(new PipelineRequest { OutputDirectory = _temp.Path });

        var outcome = await pipeline.RunAsync(run, CancellationToken.None);

        Assert.Equal(PipelineOutcome.Skipped("dataset unchanged"), outcome);
        Assert.Equal(["first", "skip"], ran);
    }

    [Fact]
    public async Task Publish_CheckBeforePublishRefuses_NothingGoesLive()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        var bundle = TestBundles.Color(_temp.Combine("v1"), "v1");
        var steps = PipelineSteps.Publish(bundle.Directory);
        var ran = new List<string>();
        steps.Insert(steps.FindIndex(s => s.Name == "publish"), new Step("champion vs challenger", ran,
            StepResult.End(PipelineOutcome.Refused("the live model is better"))));
        using var run = new PipelineRun(new PipelineRequest
        {
            OutputDirectory = bundle.Directory,
            Publish = PublishTarget.FromEnvironment(store.Root, null),
        });

        var outcome = await new TrainingPipeline(steps).RunAsync(run, CancellationToken.None);

        Assert.Equal(PipelineStatus.Refused, outcome.Status);
        Assert.True(run.Gate!.Passed, "the gate ran before the check");
        Assert.Null(run.PublishedTo);
        Assert.Null(await ModelCatalog.ReadLatestAsync(store, CancellationToken.None));
    }

    [Fact]
    public async Task Train_WithAnEpochHook_CallsItAfterEachEpochWithItsCheckpointOnDisk()
    {
        var output = _temp.Combine("model");
        var train = new TrainRequest
        {
            Source = new FashionMnistSource(TestAssets.FashionMnist),
            OutputDirectory = output,
            ImageSize = 32,
            MaxTrain = 60,
            MaxValid = 20,
            Device = "cpu",
            Training = new TrainingOptions { Epochs = 1, FreezeEpochs = 1, BatchSize = 16, Seed = 3 },
        };
        var hook = new RecordingHook();
        using var run = new PipelineRun(new PipelineRequest { OutputDirectory = output, Version = "hooked-1" });
        run.EpochHooks.Add(hook);

        var outcome = await new TrainingPipeline(PipelineSteps.Train(train, quantize: false)).RunAsync(run, CancellationToken.None);

        Assert.Equal(PipelineStatus.Completed, outcome.Status);
        Assert.Equal([("frozen", 1, 0), ("unfrozen", 1, 1)], hook.Calls.Select(c => (c.Phase, c.PhaseEpochsDone, c.Epoch.Epoch)));
        Assert.All(hook.StateExisted, Assert.True);
        Assert.Equal(Checkpoint.PathIn(output), hook.Calls[0].Directory);
        Assert.False(Directory.Exists(Checkpoint.PathIn(output)), "a finished run removes its checkpoint");
    }

    private sealed class Step(string name, List<string> ran, StepResult result) : IPipelineStep
    {
        public string Name => name;

        public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
        {
            ran.Add(name);
            return Task.FromResult(result);
        }
    }

    private sealed class RecordingHook : IEpochHook
    {
        public List<EpochCheckpoint> Calls { get; } = [];

        public List<bool> StateExisted { get; } = [];

        public Task EpochFinishedAsync(EpochCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            Calls.Add(checkpoint);
            StateExisted.Add(File.Exists(Path.Combine(checkpoint.Directory, "state.json")));
            return Task.CompletedTask;
        }
    }
}
