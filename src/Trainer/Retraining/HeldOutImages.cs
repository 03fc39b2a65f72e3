using Mic.Trainer.Data;

namespace Mic.Trainer.Retraining;

/// <summary>Only the held-out images of a source, all in the validation split, with the run's label order.</summary>
internal sealed class HeldOutImages(IImageSource source, IReadOnlySet<string> ids, IReadOnlyList<string> labels) : IImageSource
{
    public string Description => source.Description;

    public IReadOnlyList<string>? Labels => labels;

    public async Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await source.ListAsync(cancellationToken)).Where(i => ids.Contains(i.Id)).Select(i => i with { Split = DatasetSplit.Valid })];
}
