using Onnx;
using static Mic.Onnx.OnnxNodes;
using static Mic.TestSupport.OnnxGraph;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.TestSupport;

/// <summary>
/// Models around the offline ImageNet ResNet18 from NuGet <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>, wrapped to
/// obey the model contract: uint8 RGB NHWC 224×224 in; RGB→BGR and the package's own mean image inside the graph.
/// </summary>
public static class ResNet18Models
{
    public const int Size = 224;
    public const int Features = 512;

    private static readonly string ModelDirectory = Path.Combine(AppContext.BaseDirectory, "DnnImageModels");

    /// <summary><c>pixels</c> → <c>probabilities</c> = softmax(W·features + b); <paramref name="weights"/> is [classes × 512] row-major.</summary>
    public static ModelProto Classifier(float[] weights, float[] bias)
    {
        var classes = bias.Length;
        var graph = Backbone();
        graph.Output.Add(Value("probabilities", DataType.Float, null, classes));
        graph.Initializer.Add(Floats("head_w", [classes, Features], weights));
        graph.Initializer.Add(Floats("head_b", [classes], bias));
        graph.Node.Add(Node("Gemm", ["features", "head_w", "head_b"], ["logits"], Int("transB", 1)));
        graph.Node.Add(Node("Softmax", ["logits"], ["probabilities"], Int("axis", 1)));
        return Model(graph);
    }

    /// <summary><c>pixels</c> → <c>features</c> float [N, 512] (pooled ResNet18 features).</summary>
    public static ModelProto Featurizer()
    {
        var graph = Backbone();
        graph.Output.Add(Value("features", DataType.Float, null, Features));
        return Model(graph);
    }

    private static GraphProto Backbone()
    {
        var resnet = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(ModelDirectory, "ResNet18Onnx", "ResNet18.onnx")));
        var prep = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(ModelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx")));
        var backboneInput = resnet.Graph.Input[0].Name;
        var backboneOutput = resnet.Graph.Output[0].Name;

        var graph = new GraphProto { Name = "resnet18-imagenet" };
        graph.Input.Add(Value("pixels", DataType.Uint8, null, Size, Size, 3));
        graph.Initializer.Add(Longs("bgr_order", [3], [2, 1, 0]));
        graph.Initializer.Add(prep.Graph.Initializer.Single(t => t.Name == "MeanImage"));
        graph.Node.Add(Node("Cast", ["pixels"], ["rgb_nhwc"], Int("to", (long)DataType.Float)));
        graph.Node.Add(Node("Transpose", ["rgb_nhwc"], ["rgb"], Ints("perm", 0, 3, 1, 2)));
        graph.Node.Add(Node("Gather", ["rgb", "bgr_order"], ["bgr"], Int("axis", 1)));
        graph.Node.Add(Node("Sub", ["bgr", "MeanImage"], [backboneInput]));

        graph.Initializer.AddRange(resnet.Graph.Initializer);
        foreach (var node in resnet.Graph.Node)
        {
            var copy = node.Clone();
            if (copy.OpType == "BatchNormalization")
            {
                // `spatial` was removed after opset 8; spatial=1 is the only behaviour left.
                var spatial = copy.Attribute.FirstOrDefault(a => a.Name == "spatial");
                if (spatial is not null)
                {
                    copy.Attribute.Remove(spatial);
                }
            }

            graph.Node.Add(copy);
        }

        graph.Node.Add(Node("Flatten", [backboneOutput], ["features"], Int("axis", 1)));
        return graph;
    }
}
