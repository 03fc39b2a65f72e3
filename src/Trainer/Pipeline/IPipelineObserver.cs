using Mic.Trainer.Training;

namespace Mic.Trainer.Pipeline;

/// <summary>
/// Progress of a run, for a console or a log: which step starts, images loaded (<see cref="IProgress{T}"/>: done,
/// total) and the learner's epochs and batches (<see cref="ITrainingObserver"/>). Called on the thread running the
/// step; keep handlers quick.
/// </summary>
public interface IPipelineObserver : ITrainingObserver, IProgress<(int Done, int Total)>
{
    void StepStarted(string name);
}
