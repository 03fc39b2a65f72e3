using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Training;

namespace Mic.Trainer.Tests.Training;

/// <summary>A short, seeded fine-tune on real Fashion-MNIST images at 32 px: it must learn and export a servable bundle.</summary>
public sealed class FineTuneTests
{
    [Fact]
    public async Task RunAsync_FashionMnistSubset_LearnsAndExportsAServableBundle()
    {
        using var output = new TempDirectory();
        var request = new TrainRequest
        {
            Source = new FashionMnistSource(TestAssets.FashionMnist),
            OutputDirectory = output.Path,
            ImageSize = 32,
            MaxTrain = 2000,
            MaxValid = 500,
            Device = "cpu",
            Version = "test-1",
            Training = new TrainingOptions { Epochs = 2, FreezeEpochs = 1, BaseLearningRate = 2e-3, BatchSize = 64, Seed = 1 },
        };

        var outcome = await TrainRuns.RunAsync(request, null, CancellationToken.None);

        Assert.False(outcome.Cancelled);
        Assert.Equal(3, outcome.History.Count);
        Assert.True(outcome.History[^1].ValidLoss < outcome.InitialValidLoss / 2,
            $"valid loss {outcome.InitialValidLoss:F3} → {outcome.History[^1].ValidLoss:F3}");
        // Seeded, but oneDNN reductions on several threads are not bit-reproducible: 59.8-65 % was seen across runs;
        // the floor is 5x chance, far above it and clear of that spread.
        Assert.True(outcome.Evaluation!.Accuracy > 0.5, $"accuracy {outcome.Evaluation.Accuracy:P1} (chance is 10%)");

        // The bundle is what the function would load, and its answers are the TorchSharp module's.
        var bundle = ModelBundle.Load(output.Path);
        Assert.Equal(FashionMnistSource.ClassNames, bundle.Manifest.Labels);
        Assert.Equal(new ModelInput(32, 32, ResizePolicy.ShorterSideThenCenterCrop), bundle.Manifest.Input);
        Assert.Equal("fp32", bundle.Manifest.Model.Precision);
        Assert.Equal(outcome.Evaluation.Accuracy, bundle.Manifest.Metrics!.Accuracy);
        Assert.Equal(outcome.Dataset.Hash, bundle.Manifest.Training!.DatasetHash);
        using var classifier = OnnxClassifier.Load(bundle);
        var served = Export.Evaluation.Run(classifier, outcome.Dataset.Valid, CancellationToken.None).Probabilities;
        var module = outcome.ModuleValidation!.Probabilities;
        Assert.Equal(module.Length, served.Length);
        var worst = module.Zip(served, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-4, $"module and ONNX Runtime probabilities differ by up to {worst}");
    }
}
