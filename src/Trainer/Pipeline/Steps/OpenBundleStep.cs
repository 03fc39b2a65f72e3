using Mic.Core.Models;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Open: a bundle already on disk (<c>publish</c>) becomes the candidate, after <see cref="ModelBundle.Load"/> has
/// checked it; a damaged bundle is refused (nothing is published).
/// </summary>
internal sealed class OpenBundleStep(string directory) : IPipelineStep
{
    public string Name => "open bundle";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        ModelBundle bundle;
        try
        {
            bundle = ModelBundle.Load(directory);
        }
        catch (ModelBundleException e)
        {
            return Task.FromResult(StepResult.End(PipelineOutcome.Refused(e.Message)));
        }

        run.Candidate = BundleDraft.FromBundle(bundle);
        return Task.FromResult(StepResult.Next);
    }
}
