using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using static Mic.Onnx.OnnxNodes;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Onnx.Tests;

/// <summary>Graphs built with the node builders are models ONNX Runtime loads and runs with the answers the graph says.</summary>
public sealed class OnnxNodesTests
{
    [Fact]
    public void Model_BuiltFromNodes_RunsInOnnxRuntimeWithASymbolicBatch()
    {
        // y = BatchNorm(x * 2) over 3 channels, with scale 1, bias b, mean 0, var 1: y = 2x / sqrt(1 + eps) + b.
        var graph = new GraphProto { Name = "nodes" };
        graph.Input.Add(Value("x", DataType.Float, null, 3));
        graph.Output.Add(Value("y", DataType.Float, null, 3));
        graph.Initializer.Add(Floats("two", [1], [2f]));
        graph.Initializer.Add(Floats("scale", [3], [1f, 1f, 1f]));
        graph.Initializer.Add(Floats("bias", [3], [0f, 1f, -1f]));
        graph.Initializer.Add(Floats("mean", [3], [0f, 0f, 0f]));
        graph.Initializer.Add(Floats("var", [3], [1f, 1f, 1f]));
        graph.Initializer.Add(Longs("shape", [2], [-1, 3]));
        graph.Node.Add(Node("Mul", ["x", "two"], ["doubled"]));
        graph.Node.Add(Node("BatchNormalization", ["doubled", "scale", "bias", "mean", "var"], ["normed"], Float("epsilon", 0f)));
        graph.Node.Add(Node("Reshape", ["normed", "shape"], ["y"]));
        var model = Model(graph, 13, "mic-onnx-tests");

        using var session = new InferenceSession(model.ToByteArray());
        using var input = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["x"], [input], ["y"]);

        Assert.Equal([2f, 5f, 5f, 8f, 11f, 11f], outputs[0].GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal(-1, session.InputMetadata["x"].Dimensions[0]);
        Assert.Equal((OnnxNodes.IrVersion, 13L), (model.IrVersion, model.OpsetImport.Single().Version));
    }

    [Fact]
    public void Node_IsNamedAfterItsFirstOutputAndKeepsItsAttributes()
    {
        var node = Node("Transpose", ["a"], ["b", "c"], Ints("perm", 0, 2, 1), Int("keep", 1));

        Assert.Equal("mic_b", node.Name);
        Assert.Equal([0L, 2L, 1L], node.Attribute[0].Ints);
        Assert.Equal(AttributeProto.Types.AttributeType.Int, node.Attribute[1].Type);
    }
}
