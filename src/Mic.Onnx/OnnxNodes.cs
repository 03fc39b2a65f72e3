using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Onnx;

/// <summary>
/// Builders for ONNX graphs written in code: models, nodes, attributes, constant tensors and value descriptions (a
/// null dim is symbolic, N). The one set the trainer (contract graph, test-time flip, external models), the quantizer's
/// tests and the test models use; <c>using static Mic.Onnx.OnnxNodes;</c> reads like the graph.
/// </summary>
public static class OnnxNodes
{
    /// <summary>IR version of the models built here: 7 (ONNX 1.6) is read by every runtime MIC uses.</summary>
    public const long IrVersion = 7;

    /// <summary>A model around <paramref name="graph"/>, importing the default domain at <paramref name="opset"/>.</summary>
    public static ModelProto Model(GraphProto graph, long opset, string producer, string docString = "") => new()
    {
        IrVersion = IrVersion,
        ProducerName = producer,
        DocString = docString,
        Graph = graph,
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = opset } },
    };

    public static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"mic_{outputs[0]}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static TensorProto Floats(string name, long[] dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        return tensor;
    }

    public static TensorProto Longs(string name, long[] dims, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }

    public static ValueInfoProto Value(string name, DataType type, params long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is { } value
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
