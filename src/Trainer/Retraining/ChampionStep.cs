using Mic.Core.Models;
using Mic.Trainer.Pipeline;

namespace Mic.Trainer.Retraining;

/// <summary>
/// Before publishing: champion against challenger (<see cref="ChampionComparison"/>). A challenger worse than the live
/// model by more than the margin ends the run refused, and <c>latest.json</c> is not touched. Without a live model
/// there is nothing to compare with.
/// </summary>
internal sealed class ChampionStep(ModelBundle? champion, double marginPoints, Data.IImageSource source, TextWriter output) : IPipelineStep
{
    public string Name => "champion vs challenger";

    /// <summary>What this run decided; null until the step ran (or when there is no live model).</summary>
    public ChampionDecision? Decision { get; private set; }

    public async Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        if (champion is null)
        {
            return StepResult.Next;
        }

        var challenger = run.RequireCandidate(Name).Evaluation ?? throw PipelineRun.Missing(Name, "an evaluated model");
        Decision = await ChampionComparison.DecideAsync(champion, challenger.Accuracy, run.RequireDataset(Name), source, marginPoints,
            cancellationToken);
        output.WriteLine($"champion vs challenger: {Decision.Reason}");
        return Decision.Passed ? StepResult.Next : StepResult.End(PipelineOutcome.Refused($"the live model stays: {Decision.Reason}"));
    }
}
