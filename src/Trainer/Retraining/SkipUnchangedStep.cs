using Mic.Core.Models;
using Mic.Trainer.Pipeline;

namespace Mic.Trainer.Retraining;

/// <summary>
/// Right after the data is read: ends the run as skipped when the live model was trained on exactly these images
/// (the dataset hash its manifest records), unless forced. Nothing is trained, written or published.
/// </summary>
internal sealed class SkipUnchangedStep(ModelBundle? champion, bool force) : IPipelineStep
{
    public string Name => "skip if unchanged";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var hash = run.RequireDataset(Name).Hash;
        return Task.FromResult(!force && champion?.Manifest.Training?.DatasetHash == hash
            ? StepResult.End(PipelineOutcome.Skipped(
                $"the live model {champion!.Manifest.Version} was trained on this dataset (hash {hash}); --force true retrains anyway"))
            : StepResult.Next);
    }
}
