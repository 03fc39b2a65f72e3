namespace Mic.Core.Store;

/// <summary>An object's content and ETag, or the fact that it has not changed since the ETag the caller holds.</summary>
public sealed record StoredObject(byte[] Content, string ETag)
{
    public static StoredObject NotModified { get; } = new([], "");

    public bool IsNotModified => ReferenceEquals(this, NotModified);
}
