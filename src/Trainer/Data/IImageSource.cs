namespace Mic.Trainer.Data;

/// <summary>Where labelled images come from: a folder per class, an S3 prefix, or a built-in dataset.</summary>
public interface IImageSource
{
    /// <summary>What to write in the manifest's <c>training.dataset</c>, e.g. <c>s3://bucket/datasets/bikes</c>.</summary>
    string Description { get; }

    /// <summary>Label order to use; null = the sorted distinct labels of the images read.</summary>
    IReadOnlyList<string>? Labels { get; }

    Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken);
}
