using System.Security.Cryptography;

namespace Mic.Core.Store;

/// <summary>A model store in a local folder (<c>file://</c> or a plain path). ETags are content hashes.</summary>
public sealed class FileModelStore(string root) : IModelStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Location => new Uri(Root).AbsoluteUri;

    public async Task<StoredObject?> ReadAsync(string key, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var etag = Convert.ToHexStringLower(SHA256.HashData(content));
        return etag == ifNoneMatch ? StoredObject.NotModified : new StoredObject(content, etag);
    }

    public async Task DownloadAsync(string key, string path, CancellationToken cancellationToken)
    {
        var source = PathOf(key);
        if (!File.Exists(source))
        {
            throw new FileNotFoundException($"{Location}/{key} does not exist", source);
        }

        await using var input = File.OpenRead(source);
        await using var output = File.Create(path);
        await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
    }

    public Task WriteAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) =>
        PlaceAsync(key, content, overwrite: true, cancellationToken);

    public Task<bool> TryCreateAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) =>
        PlaceAsync(key, content, overwrite: false, cancellationToken);

    /// <summary>
    /// Writes beside the target, then renames it into place: a reader sees the old file or the new one, never a partial
    /// one. Without <paramref name="overwrite"/> the rename refuses an existing target atomically (a hard link on Unix).
    /// </summary>
    private async Task<bool> PlaceAsync(string key, Stream content, bool overwrite, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var output = File.Create(temp))
            {
                await content.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, path, overwrite);
                return true;
            }
            catch (IOException) when (!overwrite && File.Exists(path))
            {
                return false;
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> keys = Directory.Exists(Root)
            ? Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(Root, p).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !k.EndsWith(".tmp", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return Task.FromResult(keys);
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"key '{key}' leaves the store", nameof(key));
        }

        return path;
    }
}
