using System.ComponentModel.DataAnnotations;
using Mic.Core.Imaging;
using Mic.Core.Store;
using Microsoft.ML.OnnxRuntime;

namespace Mic.ClassifierFunction.Configuration;

/// <summary>
/// The function's settings, bound from the <c>Mic</c> configuration section: appsettings.json, environment
/// variables (<c>Mic__ModelStore=s3://bucket</c>) or the command line (<c>--model-store ./store</c>).
/// </summary>
internal sealed class ClassifierFunctionOptions : IValidatableObject
{
    public const string SectionName = "Mic";

    /// <summary>Root of the model store: a folder, <c>file:///path</c> or <c>s3://bucket/prefix</c>.</summary>
    public string? ModelStore { get; set; }

    /// <summary>How often <c>models/latest.json</c> is checked for a new model, in seconds.</summary>
    [Range(0.05, 86400)]
    public double PollIntervalSeconds { get; set; } = 30;

    /// <summary>Where downloaded bundles are cached (on Lambda: under /tmp).</summary>
    public string CacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "mic-model-cache");

    /// <summary>Largest image accepted on any path (an upload to the bucket included).</summary>
    [Range(1, 1L << 30)]
    public long MaxImageBytes { get; set; } = ImageLimits.DefaultMaxBytes;

    /// <summary>
    /// Largest request body <c>POST /classify</c> reads; unset means <see cref="MaxImageBytes"/>, except on Lambda,
    /// where an invocation carries 6 MB at most and the default is what fits (docs/lambda.md, "Limits").
    /// </summary>
    [Range(1, 1L << 30)]
    public long? MaxRequestBytes { get; set; }

    [Range(1, 1L << 34)]
    public long MaxImagePixels { get; set; } = ImageLimits.DefaultMaxPixels;

    /// <summary>ONNX Runtime intra-op threads; 0 = one per physical core.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    public GraphOptimizationLevel GraphOptimization { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Number of labels returned when the request does not say (<c>?top=k</c>).</summary>
    [Range(1, 1000)]
    public int DefaultTop { get; set; } = 5;

    public S3ConnectionOptions S3 { get; set; } = new();

    /// <summary>The body limit of <c>POST /classify</c>: <see cref="MaxRequestBytes"/>, never above <see cref="MaxImageBytes"/>.</summary>
    public long RequestLimit => Math.Min(MaxRequestBytes ?? MaxImageBytes, MaxImageBytes);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ModelStoreLocation.TryValidate(ModelStore, out var error))
        {
            yield return new ValidationResult(
                $"Mic:ModelStore: {error}. Set it with --model-store, the Mic__ModelStore environment variable or appsettings.json.",
                [nameof(ModelStore)]);
        }
    }
}
