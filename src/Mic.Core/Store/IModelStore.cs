namespace Mic.Core.Store;

/// <summary>
/// Where bundles live: a local folder or an S3 prefix. Keys are relative to the store's root and use '/'
/// (<see cref="StoreLayout"/>). Implementations are thread-safe.
/// </summary>
public interface IModelStore
{
    /// <summary>The store's location for messages, e.g. <c>s3://bucket/prefix</c> or <c>file:///srv/models</c>.</summary>
    string Location { get; }

    /// <summary>
    /// Reads a small object. Returns <see langword="null"/> when it does not exist, and <see cref="StoredObject.NotModified"/>
    /// when its ETag still equals <paramref name="ifNoneMatch"/>.
    /// </summary>
    Task<StoredObject?> ReadAsync(string key, string? ifNoneMatch, CancellationToken cancellationToken);

    /// <summary>Streams an object to a local file (created or replaced). Throws <see cref="FileNotFoundException"/> when it is missing.</summary>
    Task DownloadAsync(string key, string path, CancellationToken cancellationToken);

    /// <summary>Writes an object in one PUT: readers see the old content or the new, never a mix.</summary>
    Task WriteAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>
    /// Writes an object only if none exists under <paramref name="key"/>; false (and nothing written) when one does.
    /// Atomic where the store can refuse a write to an existing key (a folder; S3 with <c>If-None-Match: *</c>);
    /// otherwise an existence check just before the write, which two writers racing for the same key can both pass.
    /// </summary>
    Task<bool> TryCreateAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>Deletes an object; deleting one that does not exist is no error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Keys under <paramref name="prefix"/>, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken);
}
