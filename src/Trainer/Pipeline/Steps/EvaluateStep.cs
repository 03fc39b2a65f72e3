using Mic.Core.Inference;
using Mic.Trainer.Export;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Evaluate: runs the candidate, from memory, through Mic.Core's <see cref="OnnxClassifier"/> (the function's own
/// code, which also checks the model contract) on the validation split, and records the metrics in its manifest;
/// an int8 candidate's manifest also gets the fp32 draft's accuracy. Not cancellable: a stopped run still records
/// how good the epoch it keeps is.
/// </summary>
internal sealed class EvaluateStep : IPipelineStep
{
    public string Name => "evaluate";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var draft = run.RequireCandidate(Name);
        var validation = run.RequireDataset(Name).Valid;
        draft.Evaluation = Evaluate(draft, validation);
        var metrics = draft.Evaluation.ToMetrics();
        if (!ReferenceEquals(draft, run.Fp32) && run.Fp32?.Evaluation is { } fp32)
        {
            metrics = metrics with { AccuracyFp32 = fp32.Accuracy };
        }

        draft.Manifest = draft.Manifest with { Metrics = metrics };
        return Task.FromResult(StepResult.Next);
    }

    /// <summary>The draft's answers on <paramref name="set"/>, from its in-memory model.</summary>
    public static Evaluation Evaluate(BundleDraft draft, Data.ImageSet set)
    {
        using var classifier = OnnxClassifier.Load(draft.Manifest, draft.ModelBytes, $"model {draft.Manifest.Version} ({draft.Precision})");
        return Evaluation.Run(classifier, set, CancellationToken.None);
    }
}
