using System.Security.Cryptography;
using System.Text;
using Onnx;

namespace Mic.Trainer.Model;

/// <summary>
/// Resolves <c>--backbone</c>: <c>resnet18</c> (the offline ImageNet ResNet18 from NuGet
/// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>, copied next to the trainer), a local <c>.onnx</c> path, or an
/// http(s) URL (downloaded once into <c>cacheDirectory</c>).
/// </summary>
public static class BackboneLoader
{
    public const string OfflineResNet18 = "resnet18";

    public static string ModelDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    /// <param name="spec">resnet18, a path, or a URL.</param>
    /// <param name="normalization">A <see cref="Normalization.Parse"/> text; null = the backbone's own (resnet18) or imagenet.</param>
    /// <param name="featureMap">The value to cut at; null = found by <see cref="BackboneGraph.FindFeatureMap"/>.</param>
    /// <param name="cacheDirectory">Where downloaded backbones are kept.</param>
    /// <param name="cancellationToken">Cancels a download.</param>
    public static async Task<Backbone> LoadAsync(string spec, string? normalization, string? featureMap, string cacheDirectory,
        CancellationToken cancellationToken)
    {
        string path;
        string name;
        Normalization? own = null;
        if (string.Equals(spec, OfflineResNet18, StringComparison.OrdinalIgnoreCase))
        {
            path = Path.Combine(ModelDirectory, "ResNet18Onnx", "ResNet18.onnx");
            name = OfflineResNet18;
            own = OfflineResNet18Normalization();
        }
        else if (Uri.TryCreate(spec, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            path = await DownloadAsync(uri, cacheDirectory, cancellationToken);
            name = Path.GetFileNameWithoutExtension(uri.AbsolutePath);
        }
        else
        {
            path = spec;
            name = Path.GetFileNameWithoutExtension(spec);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"backbone '{spec}': {path} does not exist", path);
        }

        var model = ModelProto.Parser.ParseFrom(await File.ReadAllBytesAsync(path, cancellationToken));
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var input = model.Graph.Input.Select(i => i.Name).First(n => !initializers.Contains(n));
        return new Backbone(name, model, input, featureMap ?? BackboneGraph.FindFeatureMap(model),
            normalization is not null ? Normalization.Parse(normalization) : own ?? Normalization.ImageNet);
    }

    /// <summary>The per-channel means of the package's BGR mean image (ResNetPreprocess.onnx), so any input size works.</summary>
    public static Normalization OfflineResNet18Normalization()
    {
        var path = Path.Combine(ModelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        if (!File.Exists(path))
        {
            return Normalization.ResNet18Offline;
        }

        var prep = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var mean = prep.Graph.Initializer.Single(t => t.Name == "MeanImage");
        var values = mean.FloatData.Count > 0 ? mean.FloatData.ToArray() : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(mean.RawData.Span).ToArray();
        var plane = values.Length / 3;
        var means = Enumerable.Range(0, 3).Select(c => (float)values.Skip(c * plane).Take(plane).Average()).ToArray();
        return Normalization.CaffeBgr(means);
    }

    private static async Task<string> DownloadAsync(Uri uri, string cacheDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uri.AbsoluteUri)))[..16];
        var path = Path.Combine(cacheDirectory, $"{key}-{Path.GetFileName(uri.AbsolutePath)}");
        if (File.Exists(path))
        {
            return path;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var partial = path + ".partial";
        await using (var file = File.Create(partial))
        {
            await response.Content.CopyToAsync(file, cancellationToken);
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
