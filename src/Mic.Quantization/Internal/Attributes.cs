using Onnx;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace Mic.Quantization.Internal;

/// <summary>Typed access to a node's attributes.</summary>
internal static class Attributes
{
    public static AttributeProto? Find(this NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static long GetInt(this NodeProto node, string name, long fallback) => node.Find(name)?.I ?? fallback;

    public static float GetFloat(this NodeProto node, string name, float fallback) => node.Find(name)?.F ?? fallback;

    public static long[]? GetInts(this NodeProto node, string name) => node.Find(name) is { } a ? [.. a.Ints] : null;

    public static string? GetString(this NodeProto node, string name) => node.Find(name)?.S.ToStringUtf8();

    public static bool Remove(this NodeProto node, string name)
    {
        var attribute = node.Find(name);
        return attribute is not null && node.Attribute.Remove(attribute);
    }

    public static void SetInt(this NodeProto node, string name, long value)
    {
        node.Remove(name);
        node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeType.Int, I = value });
    }

    public static bool HasSubgraph(this NodeProto node) =>
        node.Attribute.Any(a => a.Type is AttributeType.Graph or AttributeType.Graphs || a.G is not null || a.Graphs.Count > 0);
}
