using Google.Protobuf;
using Mic.Onnx;
using Onnx;

namespace Mic.TestSupport;

/// <summary>Test models at opset 13 (IR 7), built with <see cref="OnnxNodes"/>.</summary>
public static class OnnxGraph
{
    public const int Opset = 13;

    public static ModelProto Model(GraphProto graph) => OnnxNodes.Model(graph, Opset, "mic-tests");

    public static byte[] ToBytes(this ModelProto model) => model.ToByteArray();
}
