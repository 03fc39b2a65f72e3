namespace Mic.ClassifierFunction.Api;

/// <summary>An uploaded image's bytes in a pooled buffer; dispose to return the buffer.</summary>
internal sealed class ImageBody(byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;

    public ReadOnlyMemory<byte> Bytes => (_buffer ?? throw new ObjectDisposedException(nameof(ImageBody))).AsMemory(0, length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } rented)
        {
            ImageBodyPool.Instance.Return(rented);
        }
    }
}
