using Mic.Trainer.Onnx;
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
        var opset = (int)(model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 1);
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
            var upgraded = Upgrade(node, opset, graph);
            graph.Node.Add(upgraded);
            used.UnionWith(upgraded.Input);
        }

        graph.Initializer.AddRange(source.Initializer.Where(t => used.Contains(t.Name)).Select(t => t.Clone()));
        var initializerNames = source.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        graph.Input.AddRange(source.Input.Where(i => !initializerNames.Contains(i.Name)).Select(i => i.Clone()));
        graph.Output.Add(new ValueInfoProto { Name = featureMap });
        return new ModelProto
        {
            IrVersion = 7,
            ProducerName = "mic-train",
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
        };
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

    private static NodeProto Upgrade(NodeProto node, int opset, GraphProto graph)
    {
        var copy = node.Clone();
        if (opset >= Opset)
        {
            return copy;
        }

        switch (copy.OpType)
        {
            case "BatchNormalization":
                Remove(copy, "spatial");
                Remove(copy, "consumed_inputs");
                Remove(copy, "is_test");
                Remove(copy, "momentum");
                copy.Attribute.Add(new AttributeProto { Name = "momentum", Type = AttributeProto.Types.AttributeType.Float, F = 0.9f });
                break;
            case "Clip" when opset < 11:
                var min = Take(copy, "min");
                var max = Take(copy, "max");
                copy.Input.Add(min is null ? "" : Constant(graph, $"{copy.Name}_min", min.F));
                copy.Input.Add(max is null ? "" : Constant(graph, $"{copy.Name}_max", max.F));
                break;
            case "Reshape" when opset < 5:
                copy.Input.Add(Constant(graph, $"{copy.Name}_shape", Take(copy, "shape")!.Ints.ToArray()));
                break;
            case "Squeeze" or "Unsqueeze" when Take(copy, "axes") is { } axes:
                copy.Input.Add(Constant(graph, $"{copy.Name}_axes", axes.Ints.ToArray()));
                break;
            case "Dropout":
                Remove(copy, "is_test");
                Remove(copy, "ratio");
                break;
            case "Split" when Take(copy, "split") is { } split:
                copy.Input.Add(Constant(graph, $"{copy.Name}_split", split.Ints.ToArray()));
                break;
            case "Pad" when opset < 11:
                var pads = Take(copy, "pads")!.Ints.ToArray();
                var value = Take(copy, "value")?.F ?? 0f;
                copy.Input.Add(Constant(graph, $"{copy.Name}_pads", pads));
                copy.Input.Add(Constant(graph, $"{copy.Name}_value", value));
                break;
            case "Softmax" or "Upsample" or "Resize" or "ReduceMean" or "Slice" or "TopK":
                throw new UnsupportedOnnxOpException(
                    $"node '{node.Name}' ({node.OpType}) changed meaning between opset {opset} and {Opset}; upgrade the model to opset {Opset} first");
        }

        return copy;
    }

    private static void Remove(NodeProto node, string name)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is not null)
        {
            node.Attribute.Remove(attribute);
        }
    }

    private static AttributeProto? Take(NodeProto node, string name)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is not null)
        {
            node.Attribute.Remove(attribute);
        }

        return attribute;
    }

    private static string Constant(GraphProto graph, string name, float value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        graph.Initializer.Add(tensor);
        return name;
    }

    private static string Constant(GraphProto graph, string name, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return name;
    }
}
