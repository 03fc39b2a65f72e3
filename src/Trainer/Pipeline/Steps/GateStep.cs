using Mic.Trainer.Packaging;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Gate: the one place the evaluation gate is applied (<see cref="GateDecision.Check"/>), to the candidate's recorded
/// metrics — accuracy against <c>--min-accuracy</c>, and for an int8 model its drop from fp32. A refusal ends the run:
/// nothing is published.
/// </summary>
internal sealed class GateStep : IPipelineStep
{
    public string Name => "gate";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var draft = run.RequireCandidate(Name);
        var options = run.Request.Packaging;
        var metrics = draft.Manifest.Metrics;
        if (metrics?.Accuracy is not { } accuracy)
        {
            run.Gate = options.MinAccuracy is null
                ? new GateDecision(true, "the manifest records no accuracy; nothing to check")
                : new GateDecision(false, $"model {draft.Manifest.Version} records no accuracy to check --min-accuracy against");
        }
        else
        {
            // An fp32 model records its own accuracy as fp32 accuracy: no drop to check, and none to talk about.
            var fp32 = metrics.AccuracyFp32 == accuracy ? null : metrics.AccuracyFp32;
            run.Gate = GateDecision.Check(accuracy, fp32, options.MaxAccuracyDropPoints, options.MinAccuracy);
        }

        return Task.FromResult(run.Gate.Passed ? StepResult.Next : StepResult.End(PipelineOutcome.Refused(run.Gate.Reason)));
    }
}
