using Mic.Core.Store;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Publish: uploads the written candidate to the request's store and makes it live (<see cref="ModelPublisher"/>:
/// <c>models/latest.json</c> last). Does nothing when the request names no store.
/// </summary>
internal sealed class PublishStep : IPipelineStep
{
    public string Name => "publish";

    public async Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        if (run.Request.Publish is not { } target)
        {
            return StepResult.Next;
        }

        var written = run.RequireCandidate(Name).Written ?? throw PipelineRun.Missing(Name, "a written bundle");
        using var opened = target.Open();
        await ModelPublisher.PublishAsync(opened.Store, written, cancellationToken).ConfigureAwait(false);
        run.PublishedTo = opened.Store.Location;
        return StepResult.Next;
    }
}
