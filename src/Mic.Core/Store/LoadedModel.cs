using Mic.Core.Inference;

namespace Mic.Core.Store;

/// <summary>
/// A classifier with a reference count: the host holds one reference while the model is current, and every lease
/// holds one more. The session is disposed when the count reaches zero, so a swapped-out model finishes its
/// in-flight requests first.
/// </summary>
internal sealed class LoadedModel(OnnxClassifier classifier)
{
    private int _references = 1;

    public OnnxClassifier Classifier { get; } = classifier;

    /// <summary>Adds a reference unless the model has already been released for good.</summary>
    public bool TryAddReference()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Classifier.Dispose();
        }
    }
}
