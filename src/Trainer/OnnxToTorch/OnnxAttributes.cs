using Onnx;

namespace Mic.Trainer.OnnxToTorch;

/// <summary>Typed access to one node's attributes, with ONNX defaults supplied by the caller.</summary>
internal sealed class OnnxAttributes(NodeProto node)
{
    private readonly Dictionary<string, AttributeProto> _attributes = node.Attribute.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public bool Has(string name) => _attributes.ContainsKey(name);

    public long Int(string name, long fallback) => _attributes.TryGetValue(name, out var a) ? a.I : fallback;

    public float Float(string name, float fallback) => _attributes.TryGetValue(name, out var a) ? a.F : fallback;

    public string String(string name, string fallback) => _attributes.TryGetValue(name, out var a) ? a.S.ToStringUtf8() : fallback;

    public long[]? Ints(string name) => _attributes.TryGetValue(name, out var a) ? a.Ints.ToArray() : null;

    public float[]? Floats(string name) => _attributes.TryGetValue(name, out var a) ? a.Floats.ToArray() : null;

    public TensorProto? Tensor(string name) => _attributes.TryGetValue(name, out var a) ? a.T : null;
}
