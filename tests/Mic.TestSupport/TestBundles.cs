using System.Text.Json;
using Google.Protobuf;
using Mic.Core.Models;
using Mic.Core.Store;
using Onnx;

namespace Mic.TestSupport;

/// <summary>Writes model bundles into folders and stores with the trainer's own writer (<see cref="ModelBundleWriter"/>).</summary>
public static class TestBundles
{
    public static ModelManifest Manifest(string version, IReadOnlyList<string> labels, byte[] model, int height, int width,
        ResizePolicy resize = ResizePolicy.ShorterSideThenCenterCrop) => new()
        {
            Version = version,
            CreatedAt = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero),
            Labels = labels,
            Input = new ModelInput(width, height, resize),
            Model = ModelBundleWriter.Describe(model, "fp32"),
            Metrics = new ModelMetrics { Accuracy = 0.9 },
        };

    /// <summary>Writes <paramref name="model"/> and its manifest into <paramref name="directory"/> without validating.</summary>
    public static void WriteRaw(string directory, byte[] model, ModelManifest manifest)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, manifest.Model.File), model);
        File.WriteAllBytes(Path.Combine(directory, ModelBundleWriter.ManifestFileName),
            JsonSerializer.SerializeToUtf8Bytes(manifest, ModelJsonContext.Default.ModelManifest));
    }

    public static ModelBundle Write(string directory, ModelProto model, string version, IReadOnlyList<string> labels,
        int height, int width, ResizePolicy resize = ResizePolicy.ShorterSideThenCenterCrop)
    {
        var bytes = model.ToByteArray();
        return ModelBundleWriter.Write(directory, bytes, Manifest(version, labels, bytes, height, width, resize));
    }

    /// <summary>The mean-colour model (labels red, green, blue) as a bundle in <paramref name="directory"/>.</summary>
    public static ModelBundle Color(string directory, string version = "v1", IReadOnlyList<string>? labels = null, int size = 32) =>
        Write(directory, TestModels.Color(size, size), version, labels ?? TestModels.ColorLabels, size, size);

    /// <summary>Writes a colour bundle to a temporary folder and publishes it to <paramref name="store"/>.</summary>
    public static async Task<ModelBundle> PublishColorAsync(IModelStore store, string scratch, string version,
        IReadOnlyList<string>? labels = null)
    {
        var bundle = Color(Path.Combine(scratch, "build-" + version), version, labels);
        await ModelPublisher.PublishAsync(store, bundle, CancellationToken.None);
        return bundle;
    }
}
