using Mic.Core.Models;
using Mic.Trainer.Model;
using Mic.Trainer.Packaging;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// <c>bundle</c>'s first step: an ONNX classifier trained elsewhere, put under the model contract
/// (<see cref="ExternalClassifier"/>), as the run's fp32 draft and candidate.
/// </summary>
internal sealed class ImportExternalStep(string onnxPath, IReadOnlyList<string> labels, Normalization normalization, int? imageSize)
    : IPipelineStep
{
    public string Name => "import model";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var (model, input) = ExternalClassifier.Wrap(onnxPath, labels.Count, normalization, imageSize);
        run.Fp32 = run.Candidate = new BundleDraft(model, new ModelManifest
        {
            Version = run.Version,
            CreatedAt = DateTimeOffset.UtcNow,
            Labels = labels,
            Input = input,
            Model = BundleDraft.Pending("fp32"),
            Training = new TrainingInfo { Backbone = Path.GetFileName(onnxPath), Schedule = "trained elsewhere; packaged by mic-train bundle" },
        });
        return Task.FromResult(StepResult.Next);
    }
}
