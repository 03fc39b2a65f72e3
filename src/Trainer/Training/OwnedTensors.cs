using static TorchSharp.torch;

namespace Mic.Trainer.Training;

/// <summary>Named tensors this scope owns (a snapshot, a checkpoint read back) and disposes at its end.</summary>
internal sealed class OwnedTensors(Dictionary<string, Tensor> tensors) : IDisposable
{
    public Dictionary<string, Tensor> Tensors => tensors;

    public void Dispose()
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
