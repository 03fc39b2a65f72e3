using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Trainer.Export;
using Onnx;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// <c>tta</c>'s export: evaluates the bundle the run starts from on the validation split (the "before" figure), then
/// wraps its model with <see cref="TestTimeFlip"/> as the run's fp32 draft and candidate, under the run's version.
/// The report is not carried over: its figures are the unwrapped model's.
/// </summary>
internal sealed class FlipStep : IPipelineStep
{
    public string Name => "add flip TTA";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var source = run.StartFrom ?? throw PipelineRun.Missing(Name, "a bundle to start from");
        var dataset = run.RequireDataset(Name);
        using (var classifier = OnnxClassifier.Load(source))
        {
            run.StartFromEvaluation = Evaluation.Run(classifier, dataset.Valid, CancellationToken.None);
        }

        var model = TestTimeFlip.Apply(ModelProto.Parser.ParseFrom(File.ReadAllBytes(source.ModelPath)), dataset.Labels.Count);
        var t = source.Manifest.Training ?? new TrainingInfo();
        run.Fp32 = run.Candidate = new BundleDraft(model, source.Manifest with
        {
            Version = run.Version,
            CreatedAt = DateTimeOffset.UtcNow,
            Model = BundleDraft.Pending("fp32"),
            Metrics = null,
            Quantization = null,
            Training = t with { Schedule = $"{t.Schedule}{(string.IsNullOrEmpty(t.Schedule) ? "" : "; ")}flip TTA added to {source.Manifest.Version} by mic-train tta" },
            TestTimeAugmentation = TestTimeFlip.Name,
        });
        return Task.FromResult(StepResult.Next);
    }
}
