using Mic.Core.Models;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Write: the candidate draft as a bundle (<see cref="ModelBundleWriter"/>) into the output folder, or into
/// <paramref name="subfolder"/> of it. Not cancellable: a stopped run still leaves its best epoch behind.
/// </summary>
internal sealed class WriteBundleStep(string? subfolder = null) : IPipelineStep
{
    /// <summary>The int8 bundle's folder inside the output folder.</summary>
    public const string Int8Folder = "int8";

    public string Name => "write bundle";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var draft = run.RequireCandidate(Name);
        var directory = subfolder is null ? run.Request.OutputDirectory : Path.Combine(run.Request.OutputDirectory, subfolder);
        draft.Written = ModelBundleWriter.Write(directory, draft.ModelBytes, draft.Manifest, draft.ReportHtml);
        return Task.FromResult(StepResult.Next);
    }
}
