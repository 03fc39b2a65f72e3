using Mic.Core.Imaging;
using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Trainer.Cli;
using Mic.Trainer.Data;
using Mic.Trainer.Packaging;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Pipeline.Steps;
using Spectre.Console;

namespace Mic.Trainer.Tests.Pipeline;

/// <summary>
/// The packaging steps (evaluate → quantize → evaluate → write → gate) on a real network: the offline ResNet18 with a
/// nearest-centroid head over real photos, quantized with calibration photos, both models evaluated through Mic.Core's
/// classifier on other views of those photos; and <c>publish</c>'s steps against a store.
/// </summary>
public sealed class PackagingStepsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Package_ResNet18_WritesInt8BundleWithinTheMargin()
    {
        var fp32 = ResNet18Bundles.NearestCentroid(_temp.Combine("fp32"), "centroids-1");

        var (run, outcome) = await PackageAsync(fp32, new PackagingOptions());

        using (run)
        {
            Assert.Equal(PipelineStatus.Completed, outcome.Status);
            var written = ModelBundle.Load(_temp.Combine("out", PipelineSteps.Int8Folder));
            var manifest = written.Manifest;
            // What is on disk is the draft the steps built, byte for byte.
            Assert.Equal(ModelBundleWriter.Serialize(run.Candidate!.Manifest, "draft"), File.ReadAllBytes(written.Directory + "/manifest.json"));
            Assert.Equal("int8", manifest.Model.Precision);
            Assert.Equal("centroids-1", manifest.Version);
            Assert.True(manifest.Model.Bytes <= fp32.Manifest.Model.Bytes * 0.30, $"int8 is {manifest.Model.Bytes} bytes, fp32 {fp32.Manifest.Model.Bytes}");
            Assert.Equal(1.0, run.Fp32!.Evaluation!.Accuracy);
            Assert.Equal(run.Candidate.Evaluation!.Accuracy, manifest.Metrics!.Accuracy);
            Assert.Equal(1.0, manifest.Metrics.AccuracyFp32);
            Assert.Equal(5, manifest.Quantization!.CalibrationImages);
            Assert.Equal(22, run.Quantization!.QuantizedConv);
            Assert.True(run.Gate!.Passed, run.Gate.Reason);
            Assert.Equal(5, manifest.Metrics.Confusion!.Count);
        }
    }

    [Fact]
    public async Task Package_BrokenModel_IsRefusedByTheGate()
    {
        // A head that ignores the image and always answers "motorcycle": 1 in 5 right on the validation photos.
        var weights = new float[ResNet18Bundles.Labels.Length * ResNet18Models.Features];
        var bias = new float[ResNet18Bundles.Labels.Length];
        bias[0] = 5;
        var broken = TestBundles.Write(_temp.Combine("broken"), ResNet18Models.Classifier(weights, bias), "broken-1",
            ResNet18Bundles.Labels, ResNet18Models.Size, ResNet18Models.Size);

        var (run, outcome) = await PackageAsync(broken, new PackagingOptions { MinAccuracy = 0.5 });

        using (run)
        {
            Assert.Equal(PipelineStatus.Refused, outcome.Status);
            Assert.False(run.Gate!.Passed);
            Assert.Contains("below --min-accuracy", outcome.Reason, StringComparison.Ordinal);
            Assert.Equal(0.2, run.Candidate!.Evaluation!.Accuracy, 3);
        }
    }

    [Fact]
    public async Task Publish_Int8FarBelowFp32_IsRefusedAndLatestStays()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        var model = TestModels.Color(32, 32).ToBytes();
        var manifest = TestBundles.Manifest("v2", TestModels.ColorLabels, model, 32, 32) with
        {
            Metrics = new ModelMetrics { Accuracy = 0.80, AccuracyFp32 = 0.90 },
        };
        var bundle = ModelBundleWriter.Write(_temp.Combine("v2"), model, manifest);
        var output = new StringWriter();

        var code = await StoreCommands.PublishAsync(Console(output), Target(store), bundle.Directory, new PackagingOptions(), CancellationToken.None);

        Assert.Equal(PipelineConsole.Refused, code);
        Assert.Contains("is 10.00 points below fp32", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("not published", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("v1", (await ModelCatalog.ReadLatestAsync(store, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Publish_DamagedBundle_IsRefusedNamingTheFile()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        var bundle = TestBundles.Color(_temp.Combine("v4"), "v4");
        await File.AppendAllTextAsync(bundle.ModelPath, "bit rot");
        var output = new StringWriter();

        var code = await StoreCommands.PublishAsync(Console(output), Target(store), bundle.Directory, new PackagingOptions(), CancellationToken.None);

        Assert.Equal(PipelineConsole.Refused, code);
        Assert.Contains($"not published: {bundle.ModelPath}: sha256 mismatch", output.ToString(), StringComparison.Ordinal);
        Assert.Null(await ModelCatalog.ReadLatestAsync(store, CancellationToken.None));
    }

    [Fact]
    public async Task Publish_GoodBundle_GoesLive()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        var bundle = TestBundles.Color(_temp.Combine("v3"), "v3");
        var output = new StringWriter();

        var code = await StoreCommands.PublishAsync(Console(output), Target(store), bundle.Directory,
            new PackagingOptions { MinAccuracy = 0.5 }, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal("v3", (await ModelCatalog.ReadLatestAsync(store, CancellationToken.None))!.Version);
        Assert.Contains("published v3", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The packaging part of <c>train</c>'s list on an fp32 bundle already written (as a draft read from disk), with
    /// the reference photos to calibrate on and their JPEG views to evaluate on.
    /// </summary>
    private async Task<(PipelineRun Run, PipelineOutcome Outcome)> PackageAsync(ModelBundle fp32, PackagingOptions options)
    {
        var (calibration, validation) = PhotoSets();
        var run = new PipelineRun(new PipelineRequest { OutputDirectory = _temp.Combine("out"), Packaging = options })
        {
            Dataset = new Dataset("reference photos", ResNet18Bundles.Labels, calibration, validation, [], [], "photos"),
        };
        run.Fp32 = run.Candidate = BundleDraft.FromBundle(fp32);
        var pipeline = new TrainingPipeline(
            [new EvaluateStep(), new QuantizeStep(), new EvaluateStep(), new WriteBundleStep(PipelineSteps.Int8Folder), new GateStep()]);
        return (run, await pipeline.RunAsync(run, CancellationToken.None));
    }

    private static PublishTarget Target(FileModelStore store) => PublishTarget.FromEnvironment(store.Root, null);

    private static IAnsiConsole Console(StringWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 10_000; // one line per message, as in a log
        return console;
    }

    /// <summary>Calibration: the five reference photos; validation: the same subjects re-encoded as JPEG (other bytes, same label).</summary>
    private static (ImageSet Calibration, ImageSet Validation) PhotoSets()
    {
        var input = new ModelInput(ResNet18Models.Size, ResNet18Models.Size, ResizePolicy.ShorterSideThenCenterCrop);
        var decoder = new ImageDecoder();
        ImageSet Build(Func<string, byte[]> read)
        {
            var pixels = new byte[ResNet18Bundles.References.Length * ImageResizer.InputBytes(input)];
            for (var i = 0; i < ResNet18Bundles.References.Length; i++)
            {
                using var image = decoder.Decode(read(TestAssets.Skimage(ResNet18Bundles.References[i].Photo)));
                ImageResizer.ResizeInto(image, input, pixels.AsMemory(i * ImageResizer.InputBytes(input), ImageResizer.InputBytes(input)));
            }

            return new ImageSet(input, ResNet18Bundles.Labels, pixels, Enumerable.Range(0, ResNet18Bundles.References.Length).ToArray(),
                ResNet18Bundles.References.Select(r => r.Photo).ToArray());
        }

        return (Build(File.ReadAllBytes), Build(path => ResNet18Bundles.AsJpeg(path, quality: 70)));
    }
}
