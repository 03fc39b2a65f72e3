using Mic.Trainer.Data;

namespace Mic.Trainer.Retraining;

/// <summary>
/// Another source's images, each read once and then served from a local folder, so that the dataset can be read
/// twice (once to hash it before deciding to train, once to train) for the price of one download. The listing is
/// taken once too: both reads see the same images.
/// </summary>
internal sealed class CachedImageSource(IImageSource inner, string directory) : IImageSource
{
    private IReadOnlyList<SourceImage>? _listed;

    public string Description => inner.Description;

    public IReadOnlyList<string>? Labels => inner.Labels;

    public async Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken)
    {
        if (_listed is null)
        {
            Directory.CreateDirectory(directory);
            var listed = await inner.ListAsync(cancellationToken);
            _listed = [.. listed.Select((image, i) => image with { ReadAsync = ct => ReadAsync(image, Path.Combine(directory, $"{i}.bin"), ct) })];
        }

        return _listed;
    }

    private static async Task<byte[]> ReadAsync(SourceImage image, string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }

        var bytes = await image.ReadAsync(cancellationToken);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return bytes;
    }
}
