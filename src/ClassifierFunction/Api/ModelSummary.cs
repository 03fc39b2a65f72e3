using Mic.Core.Models;

namespace Mic.ClassifierFunction.Api;

/// <summary>What <c>GET /model</c> tells about the model being served.</summary>
internal sealed record ModelSummary(
    string Version,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Labels,
    ModelInput Input,
    string Precision,
    ModelMetrics? Metrics,
    TrainingInfo? Training,
    string? TestTimeAugmentation)
{
    public static ModelSummary From(ModelManifest manifest) => new(
        manifest.Version, manifest.CreatedAt, manifest.Labels, manifest.Input, manifest.Model.Precision, manifest.Metrics, manifest.Training,
        manifest.TestTimeAugmentation);
}
