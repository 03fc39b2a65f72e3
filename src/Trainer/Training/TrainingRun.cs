using System.Diagnostics;
using System.Globalization;
using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Export;
using Mic.Trainer.Model;
using Mic.Trainer.Onnx;
using Mic.Trainer.Reporting;

namespace Mic.Trainer.Training;

/// <summary>
/// One <c>train</c> run end to end: backbone → dataset → contract graph → fine_tune → export of the best epoch →
/// evaluation with Mic.Core's classifier → bundle. Cancellation stops training between batches and still writes
/// the best epoch so far.
/// </summary>
public static class TrainingRun
{
    public static async Task<TrainOutcome> RunAsync(TrainRequest request, ITrainingObserver? observer,
        IProgress<(int Done, int Total)>? loading, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var start = request.InitFrom is { } from ? TrainedWeights.Open(from, request.OutputDirectory) : null;
        using var setup = await CreateLearnerAsync(request, start, observer, loading, cancellationToken);
        var (module, learner, dataset, backbone, device, input) = setup;

        LrFinderResult? finder = null;
        var baseLr = request.Training.BaseLearningRate ?? 0;
        var cancelled = false;
        // A checkpoint that does not match is refused before any work is done.
        var fingerprint = Fingerprint(request, dataset, backbone, start);
        var resume = request.Resume ? Checkpoint.Open(request.OutputDirectory, fingerprint) : null;
        var initialLoss = learner.Validate(cancellationToken).Loss;
        try
        {
            if (resume is not null)
            {
                baseLr = resume.State.BaseLearningRate;
            }
            else if (request.Training.BaseLearningRate is null)
            {
                learner.Freeze(request.Training.FreezeEpochs > 0);
                finder = learner.FindLearningRate(cancellationToken: cancellationToken);
                baseLr = finder.Valley;
            }

            learner.EpochFinished = (phase, done, optimizer) =>
            {
                // When the epoch just finished is the best, the learner has just snapshotted these very weights.
                var isBest = ReferenceEquals(learner.BestEpoch, learner.History[^1]);
                using var current = isBest ? null : new OwnedTensors(module.Snapshot());
                Checkpoint.Save(request.OutputDirectory, new CheckpointState
                {
                    Fingerprint = fingerprint,
                    BaseLearningRate = baseLr,
                    Phase = phase,
                    PhaseEpochsDone = done,
                    History = [.. learner.History],
                    BatchLosses = [.. learner.BatchLosses],
                    BestEpoch = learner.BestEpoch!,
                }, current?.Tensors ?? learner.Best!, learner.Best!, optimizer);
            };
            learner.FineTune(request.Training.Epochs, baseLr, request.Training.FreezeEpochs, cancellationToken, resume);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }

        if (learner.Best is null)
        {
            return new TrainOutcome(null, null, dataset, learner.History, learner.BatchLosses, finder, baseLr, cancelled,
                clock.Elapsed.TotalSeconds, initialLoss, null);
        }

        var training = new TrainingInfo
        {
            Dataset = dataset.Description,
            Images = dataset.Train.Count + dataset.Valid.Count,
            DatasetHash = dataset.Hash,
            Backbone = $"{backbone.Name} ({backbone.Normalization.Name} normalization)",
            Epochs = learner.History.Count,
            Schedule = string.Create(CultureInfo.InvariantCulture,
                $"fine_tune: {request.Training.FreezeEpochs} frozen + {request.Training.Epochs} unfrozen epochs, one-cycle, AdamW wd {request.Training.WeightDecay}, base lr {baseLr:G3}, lr_mult {request.Training.LrMult}{LabelSmoothingText(request.Training)}, batch {request.Training.BatchSize}, best epoch {learner.BestEpoch!.Epoch + 1}{(start is null ? "" : $", started from {start.Manifest.Version}")}{(cancelled ? ", stopped early" : "")}"),
            Device = device.type == TorchSharp.DeviceType.CPU ? $"cpu ({Environment.ProcessorCount} threads)" : device.ToString(),
            Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
        };
        var version = request.Version ?? DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        // Export is not cancellable: a stopped run still leaves its best epoch behind.
        var (bundle, evaluation) = BundleWriter.Write(request.OutputDirectory, module.Export(learner.Best), version, dataset.Labels, input,
            dataset.Valid, training, CancellationToken.None, request.FlipTta);
        module.Restore(learner.Best);
        var moduleValidation = learner.Validate(CancellationToken.None);
        var outcome = new TrainOutcome(bundle, evaluation, dataset, learner.History, learner.BatchLosses, finder, baseLr, cancelled,
            clock.Elapsed.TotalSeconds, initialLoss, moduleValidation);
        TrainingReport.Write(request.OutputDirectory, outcome, $"MIC training report: {version}");
        if (!cancelled)
        {
            Checkpoint.Remove(request.OutputDirectory); // a finished run has nothing to resume
        }

        return outcome;
    }

    /// <summary>What a checkpoint must match to be resumed: the data and every setting that shapes the run.</summary>
    private static string Fingerprint(TrainRequest request, Dataset dataset, Backbone backbone, ModelBundle? start)
    {
        var t = request.Training;
        return string.Create(CultureInfo.InvariantCulture,
            $"data {dataset.Hash}, {dataset.Train.Count}/{dataset.Valid.Count} images, {request.ImageSize} px, backbone {backbone.Name}{(start is null ? "" : $" from {start.Manifest.Model.Sha256}")}, {t.FreezeEpochs} frozen + {t.Epochs} epochs, lr {(t.BaseLearningRate is { } lr ? lr.ToString("G6", CultureInfo.InvariantCulture) : "auto")}, batch {t.BatchSize}, wd {t.WeightDecay}, lr_mult {t.LrMult}{LabelSmoothingText(t)}, seed {t.Seed}, {t.Augmentation}");
    }

    /// <summary>Empty without label smoothing, so checkpoints and manifests written before the option read the same.</summary>
    private static string LabelSmoothingText(TrainingOptions t) =>
        t.LabelSmoothing == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", label smoothing {t.LabelSmoothing}");

    /// <summary>fast.ai <c>lr_find</c> on a fresh model with the body frozen (as before <c>fine_tune</c>).</summary>
    public static async Task<(LrFinderResult Result, Dataset Dataset)> FindLearningRateAsync(TrainRequest request,
        ITrainingObserver? observer, IProgress<(int Done, int Total)>? loading, CancellationToken cancellationToken)
    {
        using var setup = await CreateLearnerAsync(request, null, observer, loading, cancellationToken);
        setup.Learner.Freeze(true);
        return (setup.Learner.FindLearningRate(cancellationToken: cancellationToken), setup.Dataset);
    }

    /// <summary>
    /// The request's data and the classifier to train with its learner: the pretrained backbone with a fresh seeded
    /// head, or <paramref name="start"/>'s trained weights (<c>--init-from</c>).
    /// </summary>
    internal static async Task<LearnerSetup> CreateLearnerAsync(TrainRequest request, ModelBundle? start, ITrainingObserver? observer,
        IProgress<(int Done, int Total)>? loading, CancellationToken cancellationToken)
    {
        var (backbone, dataset, device, input) = await PrepareAsync(request, loading, cancellationToken);
        var graph = ClassifierGraph.Build(backbone, dataset.Labels.Count, input.Height, input.Width, request.Training.Seed);
        if (start is not null)
        {
            TrainedWeights.Apply(graph, start, dataset.Labels);
        }

        var module = OnnxGraphModule.Import(graph, request.Training.ChannelsLast).MoveTo(device);
        return new LearnerSetup(module, new Learner(module, dataset, request.Training, observer, device), dataset, backbone, device, input);
    }

    internal sealed record LearnerSetup(OnnxGraphModule Module, Learner Learner, Dataset Dataset, Backbone Backbone,
        TorchSharp.torch.Device Device, ModelInput Input) : IDisposable
    {
        public void Dispose() => Module.Dispose();
    }

    /// <summary>How a run reads <paramref name="request"/>'s source: the same options give the same split and dataset hash.</summary>
    internal static DatasetOptions DatasetOptionsFor(TrainRequest request) => new()
    {
        Input = new ModelInput(request.ImageSize, request.ImageSize, ResizePolicy.ShorterSideThenCenterCrop),
        ValidFraction = request.ValidFraction,
        Seed = request.Training.Seed,
        Exclude = request.Exclude,
        MaxTrain = request.MaxTrain,
        MaxValid = request.MaxValid,
    };

    private static async Task<(Backbone Backbone, Dataset Dataset, TorchSharp.torch.Device Device, ModelInput Input)> PrepareAsync(
        TrainRequest request, IProgress<(int Done, int Total)>? loading, CancellationToken cancellationToken)
    {
        // The device first: `--device cuda` on a machine without a usable GPU fails before any data is read.
        var device = TorchDevices.Resolve(request.Device);
        var options = DatasetOptionsFor(request);
        var input = options.Input;
        var backbone = await BackboneLoader.LoadAsync(request.Backbone, request.Normalization, request.BackboneOutput,
            Path.Combine(request.CacheDirectory, "backbones"), cancellationToken);
        var dataset = await DatasetLoader.LoadAsync(request.Source, options, loading, cancellationToken);
        if (dataset.Train.Count < 2 || dataset.Valid.Count < 1)
        {
            throw new InvalidDataException(
                $"{dataset.Description}: {dataset.Train.Count} training and {dataset.Valid.Count} validation images; need at least 2 and 1");
        }

        TorchDevices.Prepare(device, request.Training.Seed, request.Threads);
        return (backbone, dataset, device, input);
    }
}
