using Onnx;

namespace Mic.Quantization.Internal;

/// <summary>
/// Which nodes run in int8 and which activation tensors carry a QuantizeLinear/DequantizeLinear pair. A tensor in
/// <see cref="SharesParamsWith"/> reuses another's scale and zero point (MaxPool and reshaping ops must, for ONNX
/// Runtime to run them on the uint8 data directly).
/// </summary>
internal sealed record QdqPlan(
    IReadOnlyDictionary<NodeProto, NodeRole> Nodes,
    IReadOnlyList<string> Activations,
    IReadOnlyDictionary<string, string> SharesParamsWith,
    IReadOnlyList<string> LeftInFloat)
{
    /// <summary>The tensor whose calibrated range sets <paramref name="tensor"/>'s quantization.</summary>
    public string Root(string tensor)
    {
        while (SharesParamsWith.TryGetValue(tensor, out var source))
        {
            tensor = source;
        }

        return tensor;
    }

    public int Count(NodeRole role) => Nodes.Values.Count(r => r == role);
}
