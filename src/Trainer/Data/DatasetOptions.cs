using Mic.Core.Models;

namespace Mic.Trainer.Data;

/// <summary>How to turn a source into a <see cref="Dataset"/>.</summary>
public sealed record DatasetOptions
{
    public required ModelInput Input { get; init; }

    /// <summary>Share of each class held out for validation when the source has no official split.</summary>
    public double ValidFraction { get; init; } = 0.2;

    public int Seed { get; init; } = 42;

    /// <summary>Ids to leave out (from <c>--exclude FILE</c>).</summary>
    public IReadOnlySet<string> Exclude { get; init; } = new HashSet<string>();

    /// <summary>At most this many training / validation images, drawn per class in proportion (seeded); null = all.</summary>
    public int? MaxTrain { get; init; }

    public int? MaxValid { get; init; }

    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
