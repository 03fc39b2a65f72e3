using Mic.Trainer.Model;
using Mic.Trainer.Training;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Prepare data: opens the <c>--init-from</c> bundle (checked before any data is read), resolves the device, loads the
/// backbone and the dataset, and builds the network and its learner.
/// </summary>
internal sealed class PrepareTrainingStep(TrainRequest train) : IPipelineStep
{
    public string Name => "prepare data";

    public async Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        run.StartFrom = train.InitFrom is { } from ? TrainedWeights.Open(from, train.OutputDirectory) : null;
        run.Learner = await LearnerSetup.CreateAsync(train, run.StartFrom, run.Observer, run.Observer, cancellationToken);
        run.Dataset = run.Learner.Dataset;
        return StepResult.Next;
    }
}
