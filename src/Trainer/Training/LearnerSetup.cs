using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Model;
using Mic.Trainer.Onnx;

namespace Mic.Trainer.Training;

/// <summary>
/// The request's data and the classifier to train with its learner: the pretrained backbone with a fresh seeded head,
/// or a trained bundle's weights (<c>--init-from</c>). Owns the module: dispose when done.
/// </summary>
internal sealed record LearnerSetup(OnnxGraphModule Module, Learner Learner, Dataset Dataset, Backbone Backbone,
    TorchSharp.torch.Device Device, ModelInput Input) : IDisposable
{
    public void Dispose() => Module.Dispose();

    /// <summary>Resolves the device (failing fast), loads the backbone and the data, and builds the learner.</summary>
    /// <exception cref="InvalidDataException">Too few images to train on.</exception>
    public static async Task<LearnerSetup> CreateAsync(TrainRequest request, ModelBundle? start, ITrainingObserver? observer,
        IProgress<(int Done, int Total)>? loading, CancellationToken cancellationToken)
    {
        // The device first: `--device cuda` on a machine without a usable GPU fails before any data is read.
        var device = TorchDevices.Resolve(request.Device);
        var input = new ModelInput(request.ImageSize, request.ImageSize, ResizePolicy.ShorterSideThenCenterCrop);
        var backbone = await BackboneLoader.LoadAsync(request.Backbone, request.Normalization, request.BackboneOutput,
            Path.Combine(request.CacheDirectory, "backbones"), cancellationToken);
        var dataset = await DatasetLoader.LoadAsync(request.Source, new DatasetOptions
        {
            Input = input,
            ValidFraction = request.ValidFraction,
            Seed = request.Training.Seed,
            Exclude = request.Exclude,
            MaxTrain = request.MaxTrain,
            MaxValid = request.MaxValid,
        }, loading, cancellationToken);
        if (dataset.Train.Count < 2 || dataset.Valid.Count < 1)
        {
            throw new InvalidDataException(
                $"{dataset.Description}: {dataset.Train.Count} training and {dataset.Valid.Count} validation images; need at least 2 and 1");
        }

        TorchDevices.Prepare(device, request.Training.Seed, request.Threads);
        var graph = ClassifierGraph.Build(backbone, dataset.Labels.Count, input.Height, input.Width, request.Training.Seed);
        if (start is not null)
        {
            TrainedWeights.Apply(graph, start, dataset.Labels);
        }

        var module = OnnxGraphModule.Import(graph, request.Training.ChannelsLast).MoveTo(device);
        return new LearnerSetup(module, new Learner(module, dataset, request.Training, observer, device), dataset, backbone, device, input);
    }

    /// <summary>fast.ai <c>lr_find</c> on a fresh model with the body frozen (as before <c>fine_tune</c>).</summary>
    public static async Task<(LrFinderResult Result, Dataset Dataset)> FindLearningRateAsync(TrainRequest request,
        ITrainingObserver? observer, IProgress<(int Done, int Total)>? loading, CancellationToken cancellationToken)
    {
        using var setup = await CreateAsync(request, null, observer, loading, cancellationToken);
        setup.Learner.Freeze(true);
        return (setup.Learner.FindLearningRate(cancellationToken: cancellationToken), setup.Dataset);
    }
}
