using Mic.Trainer.Reporting;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Report: the training report for the fp32 draft (written with its bundle, and copied into the int8 one) and the
/// review list <c>suspects.txt</c>, written into the output folder now.
/// </summary>
internal sealed class ReportStep : IPipelineStep
{
    public string Name => "report";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var draft = run.RequireFp32(Name);
        var fit = run.Fit ?? throw PipelineRun.Missing(Name, "a fitted model");
        var evaluation = draft.Evaluation ?? throw PipelineRun.Missing(Name, "an evaluation");
        var (html, suspects) = TrainingReport.Build(new ReportInput($"MIC training report: {draft.Manifest.Version}", run.RequireDataset(Name),
            evaluation, draft.Manifest, fit.History, fit.BatchLosses, fit.LrFinder, run.Seconds));
        draft.ReportHtml = html;
        TrainingReport.WriteSuspects(run.Request.OutputDirectory, suspects);
        return Task.FromResult(StepResult.Next);
    }
}
