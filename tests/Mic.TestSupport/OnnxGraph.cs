using Google.Protobuf;
using Onnx;

namespace Mic.TestSupport;

/// <summary>Small helpers for writing ONNX graphs in tests (opset 13, IR 7).</summary>
public static class OnnxGraph
{
    public const int Opset = 13;

    public static ModelProto Model(GraphProto graph) => new()
    {
        IrVersion = 7,
        ProducerName = "mic-tests",
        Graph = graph,
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
    };

    public static byte[] ToBytes(this ModelProto model) => model.ToByteArray();
}
