namespace Mic.Trainer.Pipeline.Steps;

/// <summary>After a stopped fit has kept its best epoch: end the run there (no quantizing or publishing a cut-short model).</summary>
internal sealed class EndIfStoppedStep : IPipelineStep
{
    public string Name => "end if stopped";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken) =>
        Task.FromResult(run.Fit is { Cancelled: true }
            ? StepResult.End(PipelineOutcome.Stopped("stopped early; kept the best epoch"))
            : StepResult.Next);
}
