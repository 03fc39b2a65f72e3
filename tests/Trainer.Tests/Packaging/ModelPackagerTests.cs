using Mic.Core.Imaging;
using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Trainer.Cli;
using Mic.Trainer.Data;
using Mic.Trainer.Packaging;
using Spectre.Console;

namespace Mic.Trainer.Tests.Packaging;

/// <summary>
/// The packaging step on a real network: the offline ResNet18 with a nearest-centroid head over real photos, quantized
/// with calibration photos, both models evaluated through Mic.Core's classifier on other views of those photos.
/// </summary>
public sealed class ModelPackagerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Package_ResNet18_WritesInt8BundleWithinTheMargin()
    {
        var fp32 = ResNet18Bundles.NearestCentroid(_temp.Combine("fp32"), "centroids-1");
        var (calibration, validation) = PhotoSets();

        var outcome = ModelPackager.Package(fp32, calibration, validation, _temp.Combine("int8"), new PackagingOptions(), CancellationToken.None);

        var manifest = outcome.Bundle.Manifest;
        Assert.Equal("int8", manifest.Model.Precision);
        Assert.Equal("centroids-1", manifest.Version);
        Assert.True(manifest.Model.Bytes <= fp32.Manifest.Model.Bytes * 0.30, $"int8 is {manifest.Model.Bytes} bytes, fp32 {fp32.Manifest.Model.Bytes}");
        Assert.Equal(1.0, outcome.Fp32.Accuracy);
        Assert.Equal(outcome.Int8.Accuracy, manifest.Metrics!.Accuracy);
        Assert.Equal(outcome.Fp32.Accuracy, manifest.Metrics.AccuracyFp32);
        Assert.Equal(calibration.Count, manifest.Quantization!.CalibrationImages);
        Assert.Equal(22, outcome.Report.QuantizedConv);
        Assert.True(outcome.Gate.Passed, outcome.Gate.Reason);
        Assert.Equal(5, manifest.Metrics.Confusion!.Count);
    }

    [Fact]
    public void Package_BrokenModel_IsRefusedByTheGate()
    {
        // A head that ignores the image and always answers "motorcycle": 1 in 5 right on the validation photos.
        var weights = new float[ResNet18Bundles.Labels.Length * ResNet18Models.Features];
        var bias = new float[ResNet18Bundles.Labels.Length];
        bias[0] = 5;
        var broken = TestBundles.Write(_temp.Combine("broken"), ResNet18Models.Classifier(weights, bias), "broken-1",
            ResNet18Bundles.Labels, ResNet18Models.Size, ResNet18Models.Size);
        var (calibration, validation) = PhotoSets();

        var outcome = ModelPackager.Package(broken, calibration, validation, _temp.Combine("int8"),
            new PackagingOptions { MinAccuracy = 0.5 }, CancellationToken.None);

        Assert.False(outcome.Gate.Passed);
        Assert.Contains("below --min-accuracy", outcome.Gate.Reason, StringComparison.Ordinal);
        Assert.Equal(0.2, outcome.Int8.Accuracy, 3);
    }

    [Fact]
    public async Task Publish_Int8FarBelowFp32_IsRefusedAndLatestStays()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        var bundle = TestBundles.Color(_temp.Combine("v2"), "v2");
        var manifest = bundle.Manifest with { Metrics = new ModelMetrics { Accuracy = 0.80, AccuracyFp32 = 0.90 } };
        Export.BundleWriter.WriteManifest(bundle.Directory, manifest);
        var output = new StringWriter();

        var code = await StoreCommands.PublishAsync(Console(output), store, bundle.Directory, 0.5, null, CancellationToken.None);

        Assert.Equal(StoreCommands.Refused, code);
        Assert.Contains("not published", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("v1", (await ModelCatalog.ReadLatestAsync(store, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Publish_GoodBundle_GoesLive()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        var bundle = TestBundles.Color(_temp.Combine("v3"), "v3");
        var output = new StringWriter();

        var code = await StoreCommands.PublishAsync(Console(output), store, bundle.Directory, 0.5, 0.5, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal("v3", (await ModelCatalog.ReadLatestAsync(store, CancellationToken.None))!.Version);
        Assert.Contains("published v3", output.ToString(), StringComparison.Ordinal);
    }

    private static IAnsiConsole Console(StringWriter output) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

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
