using Mic.Core.Inference;

namespace Mic.Core.Store;

public sealed record ModelHostOptions
{
    /// <summary>Local folder where downloaded bundles are kept (Lambda: under /tmp).</summary>
    public required string CacheDirectory { get; init; }

    public ClassifierOptions Classifier { get; init; } = ClassifierOptions.Default;
}
