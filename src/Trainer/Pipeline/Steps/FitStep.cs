using System.Globalization;
using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Model;
using Mic.Trainer.Training;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Fit: fast.ai <c>fine_tune</c> (the lr finder first when no rate is given), a local checkpoint after every epoch
/// (<c>--resume</c> continues from it) and then the run's <see cref="IEpochHook"/>s. Cancellation stops training
/// between batches: the run goes on to keep the best epoch so far, or ends when no epoch finished.
/// </summary>
internal sealed class FitStep(TrainRequest train) : IPipelineStep
{
    public string Name => "fit";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var setup = run.Learner ?? throw PipelineRun.Missing(Name, "a learner");
        var (module, learner, dataset, backbone, _, _) = setup;
        LrFinderResult? finder = null;
        var baseLr = train.Training.BaseLearningRate ?? 0;
        var cancelled = false;
        // A checkpoint that does not match is refused before any work is done.
        var fingerprint = Fingerprint(dataset, backbone, run.StartFrom);
        var resume = train.Resume ? Checkpoint.Open(train.OutputDirectory, fingerprint) : null;
        var initialLoss = learner.Validate(cancellationToken).Loss;
        try
        {
            if (resume is not null)
            {
                baseLr = resume.State.BaseLearningRate;
            }
            else if (train.Training.BaseLearningRate is null)
            {
                learner.Freeze(train.Training.FreezeEpochs > 0);
                finder = learner.FindLearningRate(cancellationToken: cancellationToken);
                baseLr = finder.Valley;
            }

            learner.EpochFinished = (phase, done, optimizer) =>
            {
                // When the epoch just finished is the best, the learner has just snapshotted these very weights.
                var isBest = ReferenceEquals(learner.BestEpoch, learner.History[^1]);
                using (var current = isBest ? null : new OwnedTensors(module.Snapshot()))
                {
                    Checkpoint.Save(train.OutputDirectory, new CheckpointState
                    {
                        Fingerprint = fingerprint,
                        BaseLearningRate = baseLr,
                        Phase = phase,
                        PhaseEpochsDone = done,
                        History = [.. learner.History],
                        BatchLosses = [.. learner.BatchLosses],
                        BestEpoch = learner.BestEpoch!,
                    }, current?.Tensors ?? learner.Best!, learner.Best!, optimizer);
                }

                var checkpoint = new EpochCheckpoint(learner.History[^1], phase, done, Checkpoint.PathIn(train.OutputDirectory));
                foreach (var hook in run.EpochHooks)
                {
                    // The learner calls back synchronously on the training thread, which waits for the hook.
                    hook.EpochFinishedAsync(checkpoint, cancellationToken).GetAwaiter().GetResult();
                }
            };
            learner.FineTune(train.Training.Epochs, baseLr, train.Training.FreezeEpochs, cancellationToken, resume);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }

        run.Fit = new FitResult(learner.History, learner.BatchLosses, finder, baseLr, cancelled, initialLoss);
        if (learner.Best is null)
        {
            return Task.FromResult(StepResult.End(PipelineOutcome.Stopped("stopped before the first epoch finished: nothing written")));
        }

        if (!cancelled)
        {
            Checkpoint.Remove(train.OutputDirectory); // a finished fit has nothing to resume
        }

        return Task.FromResult(StepResult.Next);
    }

    /// <summary>What a checkpoint must match to be resumed: the data and every setting that shapes the run.</summary>
    private string Fingerprint(Dataset dataset, Backbone backbone, ModelBundle? start)
    {
        var t = train.Training;
        return string.Create(CultureInfo.InvariantCulture,
            $"data {dataset.Hash}, {dataset.Train.Count}/{dataset.Valid.Count} images, {train.ImageSize} px, backbone {backbone.Name}{(start is null ? "" : $" from {start.Manifest.Model.Sha256}")}, {t.FreezeEpochs} frozen + {t.Epochs} epochs, lr {(t.BaseLearningRate is { } lr ? lr.ToString("G6", CultureInfo.InvariantCulture) : "auto")}, batch {t.BatchSize}, wd {t.WeightDecay}, lr_mult {t.LrMult}{t.LabelSmoothingText}, seed {t.Seed}, {t.Augmentation}");
    }
}
