namespace Mic.Trainer.Data;

/// <summary>
/// A loaded dataset: train and validation splits in memory, what was skipped, and groups of byte-identical files
/// (likely duplicates, each group listed by id). <see cref="Hash"/> is the SHA-256 of the sorted (id, label,
/// content hash) lines: it changes when any image, label or the selection changes.
/// </summary>
public sealed record Dataset(
    string Description,
    IReadOnlyList<string> Labels,
    ImageSet Train,
    ImageSet Valid,
    IReadOnlyList<SkippedImage> Skipped,
    IReadOnlyList<IReadOnlyList<string>> Duplicates,
    string Hash);
