using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Pipeline.Steps;
using Mic.Trainer.Reporting;

namespace Mic.Trainer.Retraining;

/// <summary>
/// After the report: when images accepted from feedback (<see cref="AcceptedFeedback"/>) are in the data, scores the
/// live model and the new fp32 model on them and adds <see cref="FeedbackSection"/> to the report. Nothing when there
/// are none.
/// </summary>
internal sealed class FeedbackReportStep(ModelBundle? champion, IImageSource source, TextWriter output) : IPipelineStep
{
    public string Name => "feedback in the report";

    public async Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var dataset = run.RequireDataset(Name);
        var draft = run.RequireFp32(Name);
        var ids = dataset.Train.Ids.Concat(dataset.Valid.Ids).Where(AcceptedFeedback.IsAccepted).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0 || draft.ReportHtml is null)
        {
            return StepResult.Next;
        }

        var after = EvaluateStep.Evaluate(draft, await LoadAsync(ids, dataset.Labels, draft.Manifest.Input, cancellationToken)).Accuracy;
        double? before = champion is not null && champion.Manifest.Labels.SequenceEqual(dataset.Labels, StringComparer.Ordinal)
            ? EvaluateStep.Evaluate(BundleDraft.FromBundle(champion), await LoadAsync(ids, dataset.Labels, champion.Manifest.Input, cancellationToken)).Accuracy
            : null;
        var section = new FeedbackSection(dataset.Train.Ids.Count(ids.Contains), dataset.Valid.Ids.Count(ids.Contains), champion?.Manifest.Version, before, after);
        draft.ReportHtml = section.AddTo(draft.ReportHtml);
        output.WriteLine(section.Line);
        return StepResult.Next;
    }

    private async Task<ImageSet> LoadAsync(IReadOnlySet<string> ids, IReadOnlyList<string> labels, ModelInput input, CancellationToken cancellationToken) =>
        (await DatasetLoader.LoadAsync(new HeldOutImages(source, ids, labels), new DatasetOptions { Input = input }, null, cancellationToken)).Valid;
}
