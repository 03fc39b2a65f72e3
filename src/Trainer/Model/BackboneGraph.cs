using Mic.Onnx;
using Mic.Quantization.GraphRewriting;
using Onnx;

namespace Mic.Trainer.Model;

/// <summary>
/// Prepares a pretrained ONNX graph for fine-tuning: finds its last spatial feature map (dropping the pooling and
/// classifier after it) and rewrites legacy-opset nodes into their opset-13 form, so the graph the trainer runs is
/// the graph it exports.
/// </summary>
public static class BackboneGraph
{
    public const int Opset = 13;

    private static readonly HashSet<string> Pooling = new(StringComparer.Ordinal) { "GlobalAveragePool", "AveragePool", "ReduceMean", "GlobalMaxPool" };

    private static readonly HashSet<string> Classifier = new(StringComparer.Ordinal)
    {
        "Softmax", "Gemm", "MatMul", "Add", "Flatten", "Reshape", "Squeeze", "Dropout", "Identity", "Relu",
    };

    /// <summary>
    /// Walks back from the graph's first output through classifier and pooling ops and returns the value that feeds
    /// the last pooling op: the feature map a new head should pool.
    /// </summary>
    public static string FindFeatureMap(ModelProto model)
    {
        var graph = model.Graph;
        var producers = ProducerMap(graph);
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var value = graph.Output[0].Name;
        while (producers.TryGetValue(value, out var node))
        {
            var input = node.Input.FirstOrDefault(i => i.Length > 0 && !initializers.Contains(i))
                ?? throw new InvalidDataException($"node '{node.Name}' ({node.OpType}) has no data input");
            if (Pooling.Contains(node.OpType))
            {
                return input;
            }

            if (!Classifier.Contains(node.OpType))
            {
                break;
            }

            value = input;
        }

        throw new InvalidDataException(
            $"no pooling op found before the output '{graph.Output[0].Name}'; name the feature map with --backbone-output");
    }

    /// <summary>
    /// The nodes and initializers needed to compute <paramref name="featureMap"/>, upgraded to opset 13 (IR 7), with
    /// BatchNormalization momentum set to PyTorch's 0.1 so running statistics adapt to the new data as fast.ai's do.
    /// </summary>
    public static ModelProto Cut(ModelProto model, string featureMap)
    {
        var source = model.Graph;
        var producers = ProducerMap(source);
        var needed = new HashSet<NodeProto>();
        var pending = new Stack<string>([featureMap]);
        while (pending.TryPop(out var value))
        {
            if (producers.TryGetValue(value, out var node) && needed.Add(node))
            {
                foreach (var input in node.Input.Where(i => i.Length > 0))
                {
                    pending.Push(input);
                }
            }
        }

        if (!producers.ContainsKey(featureMap))
        {
            throw new InvalidDataException($"no node produces '{featureMap}'");
        }

        var graph = new GraphProto { Name = source.Name };
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in source.Node.Where(needed.Contains))
        {
            graph.Node.Add(node.Clone());
            used.UnionWith(node.Input);
        }

        graph.Initializer.AddRange(source.Initializer.Where(t => used.Contains(t.Name)).Select(t => t.Clone()));
        var initializerNames = source.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        graph.Input.AddRange(source.Input.Where(i => !initializerNames.Contains(i.Name)).Select(i => i.Clone()));
        graph.Output.Add(new ValueInfoProto { Name = featureMap });
        var cut = new ModelProto { IrVersion = model.IrVersion, ProducerName = "mic-train", Graph = graph };
        cut.OpsetImport.AddRange(model.OpsetImport.Select(o => o.Clone()));

        // Only the nodes kept are upgraded, so an old op after the cut (an Upsample in a detector head) cannot block it.
        var upgraded = OpsetUpgrader.Upgrade(cut);
        foreach (var bn in upgraded.Graph.Node.Where(n => n.OpType == "BatchNormalization"))
        {
            bn.Attribute.Remove(bn.Attribute.FirstOrDefault(a => a.Name == "momentum"));
            // ONNX momentum 0.9 = PyTorch momentum 0.1: running statistics adapt to the new data as fast.ai's do.
            bn.Attribute.Add(OnnxNodes.Float("momentum", 0.9f));
        }

        return upgraded;
    }

    private static Dictionary<string, NodeProto> ProducerMap(GraphProto graph)
    {
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                producers[output] = node;
            }
        }

        return producers;
    }
}
