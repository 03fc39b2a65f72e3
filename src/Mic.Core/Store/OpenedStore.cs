namespace Mic.Core.Store;

/// <summary>A store plus the client it needs; disposing releases the client.</summary>
public sealed class OpenedStore(IModelStore store, IDisposable? client) : IDisposable
{
    public IModelStore Store { get; } = store;

    public void Dispose() => client?.Dispose();
}
