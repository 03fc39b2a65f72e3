using Mic.Trainer.Export;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// <c>tta</c>'s first step: opens the trained fp32 bundle to wrap and checks it can be (<see cref="TestTimeFlip.OpenBundle"/>),
/// before any data is read. Without a requested version, the new bundle's is the old one's + <c>-tta-flip</c>.
/// </summary>
internal sealed class OpenTtaSourceStep(string bundleDirectory) : IPipelineStep
{
    public string Name => "open bundle";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        run.StartFrom = TestTimeFlip.OpenBundle(bundleDirectory, run.Request.OutputDirectory);
        if (run.Request.Version is null)
        {
            run.Version = $"{run.StartFrom.Manifest.Version}-tta-{TestTimeFlip.Name}";
        }

        return Task.FromResult(StepResult.Next);
    }
}
