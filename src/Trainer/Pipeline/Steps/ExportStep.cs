using System.Globalization;
using Mic.Core.Models;
using Mic.Trainer.Export;
using Mic.Trainer.Training;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Export: the best epoch's weights as the contract's ONNX model (wrapped with <see cref="TestTimeFlip"/> when asked),
/// with a manifest recording how it was trained, as the run's fp32 draft and candidate. Not cancellable: a stopped run
/// still keeps its best epoch. Also records the TorchSharp module's own validation with those weights.
/// </summary>
internal sealed class ExportStep(TrainRequest train) : IPipelineStep
{
    public string Name => "export";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var setup = run.Learner ?? throw PipelineRun.Missing(Name, "a learner");
        var fit = run.Fit ?? throw PipelineRun.Missing(Name, "a fitted model");
        var learner = setup.Learner;
        var best = learner.Best ?? throw PipelineRun.Missing(Name, "a finished epoch");
        var dataset = setup.Dataset;
        var t = train.Training;
        var training = new TrainingInfo
        {
            Dataset = dataset.Description,
            Images = dataset.Train.Count + dataset.Valid.Count,
            DatasetHash = dataset.Hash,
            Backbone = $"{setup.Backbone.Name} ({setup.Backbone.Normalization.Name} normalization)",
            Epochs = learner.History.Count,
            Schedule = string.Create(CultureInfo.InvariantCulture,
                $"fine_tune: {t.FreezeEpochs} frozen + {t.Epochs} unfrozen epochs, one-cycle, AdamW wd {t.WeightDecay}, base lr {fit.BaseLearningRate:G3}, lr_mult {t.LrMult}{t.LabelSmoothingText}, batch {t.BatchSize}, best epoch {learner.BestEpoch!.Epoch + 1}{(run.StartFrom is null ? "" : $", started from {run.StartFrom.Manifest.Version}")}{(fit.Cancelled ? ", stopped early" : "")}"),
            Device = setup.Device.type == TorchSharp.DeviceType.CPU ? $"cpu ({Environment.ProcessorCount} threads)" : setup.Device.ToString(),
            Seconds = Math.Round(run.Seconds, 1),
        };

        var model = setup.Module.Export(best);
        // The manifest's testTimeAugmentation and the model are set here together, so they cannot disagree.
        if (train.FlipTta)
        {
            model = TestTimeFlip.Apply(model, dataset.Labels.Count);
        }

        run.Fp32 = run.Candidate = new BundleDraft(model, new ModelManifest
        {
            Version = run.Version,
            CreatedAt = DateTimeOffset.UtcNow,
            Labels = dataset.Labels,
            Input = setup.Input,
            Model = BundleDraft.Pending("fp32"),
            Training = training,
            TestTimeAugmentation = train.FlipTta ? TestTimeFlip.Name : null,
        });
        setup.Module.Restore(best);
        run.Fit = fit with { ModuleValidation = learner.Validate(CancellationToken.None) };
        return Task.FromResult(StepResult.Next);
    }
}
