namespace Mic.Trainer.Pipeline;

/// <summary>
/// Runs a list of <see cref="IPipelineStep"/>s over one <see cref="PipelineRun"/>, in order, each once, until one
/// ends the run or all have run. <c>train</c>, <c>tta</c>, <c>bundle</c> and <c>publish</c> are different lists
/// (<see cref="PipelineSteps"/>). Exceptions (bad input, cancellation before anything was kept) propagate.
/// </summary>
public sealed class TrainingPipeline(IReadOnlyList<IPipelineStep> steps)
{
    public IReadOnlyList<IPipelineStep> Steps { get; } = steps;

    public async Task<PipelineOutcome> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        foreach (var step in Steps)
        {
            run.Observer.StepStarted(step.Name);
            var result = await step.RunAsync(run, cancellationToken).ConfigureAwait(false);
            if (result.Outcome is { } outcome)
            {
                return outcome;
            }
        }

        return PipelineOutcome.Completed(run.PublishedTo is { } store
            ? $"published {run.Candidate?.Manifest.Version} to {store}"
            : $"{Steps.Count} steps done");
    }
}
