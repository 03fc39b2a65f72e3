using Mic.Core.Inference;

namespace Mic.Core.Store;

/// <summary>
/// Keeps one model alive for the duration of a request, even if the host swaps in a newer one meanwhile.
/// Dispose exactly once, when the request is done with <see cref="Classifier"/>.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? _model;

    internal ModelLease(LoadedModel model) => _model = model;

    public OnnxClassifier Classifier => (_model ?? throw new ObjectDisposedException(nameof(ModelLease))).Classifier;

    public void Dispose() => Interlocked.Exchange(ref _model, null)?.Release();
}
