using System.Text;
using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Model;
using Mic.Trainer.Training;

namespace Mic.Trainer.Tests.Training;

/// <summary>
/// --init-from: a run that starts from a trained bundle starts where that bundle ended (same validation loss before
/// any training), also at another image size; bundles that cannot be continued are refused with the reason.
/// </summary>
[Collection(TorchGlobalState.Name)]
public sealed class InitFromTests
{
    [Fact]
    public async Task InitFrom_TrainedBundle_StartsWhereItEnded()
    {
        using var output = new TempDirectory();
        var first = await TrainRuns.RunAsync(Request(output.Combine("first")), null, CancellationToken.None);

        var second = await TrainRuns.RunAsync(
            Request(output.Combine("second")) with { InitFrom = output.Combine("first"), Training = Again },
            null, CancellationToken.None);

        // Same weights and running statistics, same validation images, one thread: the same loss, before any step.
        Assert.Equal(first.ModuleValidation!.Loss, second.InitialValidLoss, 1e-6);
        Assert.True(second.InitialValidLoss < first.InitialValidLoss / 2,
            $"fresh start {first.InitialValidLoss:F3}, from the bundle {second.InitialValidLoss:F3}");
        var manifest = ModelBundle.Load(output.Combine("second")).Manifest;
        Assert.Contains("started from first", manifest.Training!.Schedule, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output.Combine("first"), "model.onnx")), "the starting bundle is left alone");

        // The network pools globally: its weights go on training at a larger size (progressive resizing), from a
        // better start than the pretrained backbone with a fresh head at that size.
        var fresh64 = await TrainRuns.RunAsync(
            Request(output.Combine("fresh64")) with { ImageSize = 64, Training = Again with { Epochs = 0 } }, null, CancellationToken.None);
        var larger = await TrainRuns.RunAsync(
            Request(output.Combine("larger")) with { InitFrom = Path.Combine(output.Combine("first"), "model.onnx"), ImageSize = 64, Training = Again },
            null, CancellationToken.None);
        Assert.True(larger.InitialValidLoss < fresh64.InitialValidLoss * 0.9,
            $"at 64 px: fresh start {fresh64.InitialValidLoss:F3}, from the 32 px bundle {larger.InitialValidLoss:F3}");
        Assert.Equal(new ModelInput(64, 64, ResizePolicy.ShorterSideThenCenterCrop), ModelBundle.Load(output.Combine("larger")).Manifest.Input);
    }

    [Theory]
    [InlineData("int8", "its model is int8, and only an fp32 bundle can be trained further")]
    [InlineData("labels", "are not the data's")]
    [InlineData("same folder", "is also the --output folder")]
    [InlineData("no bundle", "manifest.json: missing")]
    public async Task InitFrom_BundleThatCannotBeContinued_IsRefusedWithTheReason(string problem, string message)
    {
        using var output = new TempDirectory();
        var bundle = output.Combine("bundle");
        await TrainRuns.RunAsync(Request(bundle), null, CancellationToken.None);
        var manifest = Path.Combine(bundle, ModelBundleWriter.ManifestFileName);
        var json = File.ReadAllText(manifest, Encoding.UTF8);
        var target = output.Combine("next");
        switch (problem)
        {
            case "int8":
                File.WriteAllText(manifest, json.Replace("\"precision\": \"fp32\"", "\"precision\": \"int8\"", StringComparison.Ordinal));
                break;
            case "labels":
                File.WriteAllText(manifest, json.Replace("\"trouser\"", "\"pants\"", StringComparison.Ordinal));
                break;
            case "same folder":
                target = bundle;
                break;
            default:
                File.Delete(manifest);
                break;
        }

        var before = File.ReadAllBytes(Path.Combine(bundle, "model.onnx"));
        var request = Request(target) with { InitFrom = bundle, Training = Again };
        if (problem != "labels")
        {
            // Everything but the labels is checked before any data is read: a missing data folder is never reached.
            request = request with { Source = new FolderImageSource(output.Combine("no-data")) };
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TrainRuns.RunAsync(request, null, CancellationToken.None));

        Assert.True(error is InvalidDataException or ModelBundleException, error.ToString());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(bundle, "model.onnx")));
    }

    [Fact]
    public async Task InitFrom_BundleOfAnotherNetwork_NamesTheWeightsThatDoNotFit()
    {
        using var output = new TempDirectory();
        await TrainRuns.RunAsync(Request(output.Path), null, CancellationToken.None);
        var backbone = await BackboneLoader.LoadAsync(BackboneLoader.OfflineResNet18, null, null, Path.GetTempPath(), CancellationToken.None);
        // The head on an earlier feature map (the stem's first ReLU, 64 channels instead of 512) is another network.
        var stem = backbone.Model.Graph.Node.First(n => n.OpType == "Relu").Output[0];
        var graph = ClassifierGraph.Build(backbone with { FeatureMap = stem }, 10, 32, 32, seed: 1);

        var error = Assert.Throws<InvalidDataException>(
            () => TrainedWeights.Apply(graph, TrainedWeights.Open(output.Path, output.Combine("next")), FashionMnistSource.ClassNames));

        Assert.Contains("not trained from this backbone", error.Message, StringComparison.Ordinal);
        Assert.Contains("'head_bn1_scale' is [1024], expected [128]", error.Message, StringComparison.Ordinal);
    }

    private static readonly TrainingOptions Again = ResumeTests.Request("").Training with { Epochs = 1, FreezeEpochs = 0, BaseLearningRate = 2e-4 };

    /// <summary>ResumeTests' small seeded one-thread run with one unfrozen epoch at lr 2e-3, versioned by its folder's name.</summary>
    private static TrainRequest Request(string output)
    {
        var request = ResumeTests.Request(output);
        return request with { Version = Path.GetFileName(output), Training = request.Training with { Epochs = 1, BaseLearningRate = 2e-3 } };
    }
}
