using Mic.Core.Inference;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Check: loads the candidate, from memory, as the function would (<see cref="OnnxClassifier"/>: input, output and
/// label count against the manifest, one run). For models with no data to evaluate on (<c>bundle</c>).
/// </summary>
internal sealed class CheckContractStep : IPipelineStep
{
    public string Name => "check contract";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var draft = run.RequireCandidate(Name);
        using (OnnxClassifier.Load(draft.Manifest, draft.ModelBytes, $"model {draft.Manifest.Version}"))
        {
            // Loading is the check.
        }

        return Task.FromResult(StepResult.Next);
    }
}
