using Onnx;
using static Mic.Onnx.OnnxNodes;
using static Mic.TestSupport.OnnxGraph;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.TestSupport;

/// <summary>Real ONNX models, built in code, whose answers a test can predict.</summary>
public static class TestModels
{
    public static readonly string[] ColorLabels = ["red", "green", "blue"];

    /// <summary>
    /// Classifies an image by its mean colour: <c>pixels</c> uint8 [N,H,W,3] → mean per channel → ×<paramref name="sharpness"/>
    /// → softmax → <c>probabilities</c> [N,3] for red, green, blue. A pure red photo answers "red" with p ≈ 1.
    /// </summary>
    public static ModelProto Color(int height, int width, float sharpness = 0.1f, string inputName = "pixels",
        DataType inputType = DataType.Uint8, string outputName = "probabilities", int classes = 3)
    {
        var graph = new GraphProto { Name = "mean-colour" };
        graph.Input.Add(Value(inputName, inputType, null, height, width, 3));
        graph.Output.Add(Value(outputName, DataType.Float, null, classes));
        graph.Initializer.Add(Floats("sharpness", [1], [sharpness]));
        graph.Node.Add(Node("Cast", [inputName], ["x"], Int("to", (long)DataType.Float)));
        graph.Node.Add(Node("ReduceMean", ["x"], ["mean"], Ints("axes", 1, 2), Int("keepdims", 0)));
        graph.Node.Add(Node("Mul", ["mean", "sharpness"], ["logits3"]));
        if (classes == 3)
        {
            graph.Node.Add(Node("Softmax", ["logits3"], [outputName], Int("axis", 1)));
        }
        else
        {
            // Pad the logits to the asked class count so a label-count mismatch can be tested.
            graph.Initializer.Add(Longs("pads", [4], [0, 0, 0, classes - 3]));
            graph.Node.Add(Node("Pad", ["logits3", "pads"], ["logits"]));
            graph.Node.Add(Node("Softmax", ["logits"], [outputName], Int("axis", 1)));
        }

        return Model(graph);
    }
}
