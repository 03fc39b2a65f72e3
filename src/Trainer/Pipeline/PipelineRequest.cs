using Mic.Trainer.Packaging;

namespace Mic.Trainer.Pipeline;

/// <summary>What every run shares, whatever its steps: where bundles go, their version, the packaging and gate settings, and the store.</summary>
public sealed record PipelineRequest
{
    /// <summary>Folder of the fp32 bundle (and of <c>int8/</c>, the quantized one, beside the report).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Model version written in the manifest; null = UTC timestamp when the run starts.</summary>
    public string? Version { get; init; }

    /// <summary>Quantization and gate settings.</summary>
    public PackagingOptions Packaging { get; init; } = new();

    /// <summary>The model store the gated bundle is published to; null = publish nothing.</summary>
    public PublishTarget? Publish { get; init; }
}
