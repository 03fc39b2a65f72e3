using Mic.Trainer.Data;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Prepare data for a trained model (<c>tta</c>): loads the images at the input size of the bundle the run starts from
/// and checks they carry its labels, in its order, with validation images to evaluate on.
/// </summary>
internal sealed class PrepareEvaluationDataStep(IImageSource source, DatasetOptions options) : IPipelineStep
{
    public string Name => "prepare data";

    public async Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var start = run.StartFrom ?? throw PipelineRun.Missing(Name, "a bundle to start from");
        var dataset = await DatasetLoader.LoadAsync(source, options with { Input = start.Manifest.Input }, run.Observer, cancellationToken);
        run.Dataset = dataset;
        if (dataset.Valid.Count == 0)
        {
            throw new InvalidDataException($"{dataset.Description} has no validation images to evaluate on");
        }

        if (!start.Manifest.Labels.SequenceEqual(dataset.Labels, StringComparer.Ordinal))
        {
            throw new InvalidDataException(
                $"{start.Directory}: its labels [{string.Join(", ", start.Manifest.Labels)}] are not the data's [{string.Join(", ", dataset.Labels)}]");
        }

        return StepResult.Next;
    }
}
