using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Export;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Training;

namespace Mic.Trainer.Tests.Training;

/// <summary>Runs <c>train</c>'s step list (fp32 only, no store) the way the CLI does, and returns what the run left.</summary>
internal static class TrainRuns
{
    public static async Task<TrainResult> RunAsync(TrainRequest request, ITrainingObserver? observer, CancellationToken cancellationToken)
    {
        var pipeline = new TrainingPipeline(PipelineSteps.Train(request, quantize: false));
        using var run = new PipelineRun(new PipelineRequest { OutputDirectory = request.OutputDirectory, Version = request.Version },
            new Observer(observer ?? NullTrainingObserver.Instance));
        var outcome = await pipeline.RunAsync(run, cancellationToken);
        var fit = run.Fit!;
        return new TrainResult(outcome, run.Fp32?.Written, run.Fp32?.Evaluation, run.Dataset!, fit.History, fit.BatchLosses, fit.Cancelled,
            fit.InitialValidLoss, fit.ModuleValidation);
    }

    internal sealed record TrainResult(PipelineOutcome Outcome, ModelBundle? Bundle, Evaluation? Evaluation, Dataset Dataset,
        IReadOnlyList<EpochResult> History, IReadOnlyList<double> BatchLosses, bool Cancelled, double InitialValidLoss,
        ValidationResult? ModuleValidation);

    private sealed class Observer(ITrainingObserver training) : IPipelineObserver
    {
        public void StepStarted(string name)
        {
        }

        public void Report((int Done, int Total) value)
        {
        }

        public void EpochStarted(string phase, int epoch, int epochs, int batches) => training.EpochStarted(phase, epoch, epochs, batches);

        public void BatchCompleted(int batch, int batches, double loss, double imagesPerSecond) =>
            training.BatchCompleted(batch, batches, loss, imagesPerSecond);

        public void EpochCompleted(EpochResult result) => training.EpochCompleted(result);
    }
}
