namespace Mic.Trainer.Data;

/// <summary>fast.ai's <c>from_folder</c> layout: <c>root/&lt;label&gt;/**/&lt;image&gt;</c>. Hidden files and folders are ignored.</summary>
public sealed class FolderImageSource(string root) : IImageSource
{
    public string Description { get; } = Path.GetFullPath(root);

    public IReadOnlyList<string>? Labels => null;

    public Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"dataset folder {root} does not exist");
        }

        var images = new List<SourceImage>();
        foreach (var labelDirectory in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var label = Path.GetFileName(labelDirectory);
            if (label.StartsWith('.'))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(labelDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Split('/').Any(part => part.StartsWith('.')))
                {
                    continue;
                }

                images.Add(new SourceImage(relative, label, null, ct => File.ReadAllBytesAsync(file, ct)));
            }
        }

        return Task.FromResult<IReadOnlyList<SourceImage>>(images);
    }
}
