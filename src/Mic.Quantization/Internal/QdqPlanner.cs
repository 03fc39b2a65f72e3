using Onnx;

namespace Mic.Quantization.Internal;

/// <summary>
/// Decides where QDQ pairs go so that ONNX Runtime fuses the graph into int8 kernels (docs/quantization.md): a pair on
/// every activation input of a quantized node, and on the output of every Conv, Add and pool — after the Relu or Clip
/// that follows it, never between, so the activation is absorbed into the quantized range. Reshaping ops between two
/// quantized tensors and MaxPool keep their input's parameters.
/// </summary>
internal static class QdqPlanner
{
    private static readonly HashSet<string> Reshaping = ["Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze"];

    /// <summary>Plans the graph; <paramref name="excluded"/> holds nodes calibration found unfit, with the reason.</summary>
    public static QdqPlan Plan(GraphIndex index, IReadOnlySet<string> keepFloat, IReadOnlyDictionary<NodeProto, string> excluded)
    {
        var nodes = new Dictionary<NodeProto, NodeRole>();
        var left = new List<string>();
        foreach (var node in index.Graph.Node)
        {
            var (role, reason) = Classify(node, index);
            if (role is null)
            {
                if (reason is not null)
                {
                    left.Add($"{node.Name} ({node.OpType}): {reason}");
                }

                continue;
            }

            reason = keepFloat.Contains(node.Name) ? "kept in float by the options" : excluded.GetValueOrDefault(node);
            if (reason is not null)
            {
                left.Add($"{node.Name} ({node.OpType}): {reason}");
                continue;
            }

            nodes[node] = role.Value;
        }

        var activations = new List<string>();
        var seen = new HashSet<string>();
        void Mark(string tensor)
        {
            if (seen.Add(tensor))
            {
                activations.Add(tensor);
            }
        }

        foreach (var (node, role) in nodes)
        {
            foreach (var input in ActivationInputs(node, role))
            {
                Mark(input);
            }

            if (role is NodeRole.Conv or NodeRole.Add or NodeRole.MaxPool or NodeRole.AveragePool)
            {
                Mark(EffectiveOutput(node, index));
            }
        }

        var shares = new Dictionary<string, string>();
        foreach (var tensor in activations)
        {
            if (index.Producer(tensor) is { } producer
                && ((nodes.TryGetValue(producer, out var role) && role == NodeRole.MaxPool)
                    || (Reshaping.Contains(producer.OpType) && seen.Contains(producer.Input[0]))))
            {
                shares[tensor] = producer.Input[0];
            }
        }

        return new QdqPlan(nodes, activations, shares, left);
    }

    /// <summary>The activation inputs of a node in <paramref name="role"/> (weights are quantized separately).</summary>
    public static IEnumerable<string> ActivationInputs(NodeProto node, NodeRole role) =>
        role == NodeRole.Add ? [node.Input[0], node.Input[1]] : [node.Input[0]];

    /// <summary>The node's output, or the output of the single Relu/Clip that reads it (to be absorbed).</summary>
    public static string EffectiveOutput(NodeProto node, GraphIndex index)
    {
        var output = node.Output[0];
        var consumers = index.Consumers(output);
        return consumers.Count == 1 && !index.IsGraphOutput(output) && IsAbsorbable(consumers[0], index)
            && consumers[0].Input[0] == output
                ? consumers[0].Output[0]
                : output;
    }

    /// <summary>The fixed output bounds of a Relu, or of a Clip whose bounds are constants; null otherwise.</summary>
    public static (float Min, float Max)? ActivationBounds(NodeProto? node, GraphIndex index)
    {
        switch (node?.OpType)
        {
            case "Relu":
                return (0f, float.PositiveInfinity);
            case "Clip" when node.Input.Skip(1).All(i => i.Length == 0 || index.Initializer(i) is { } t && TensorData.IsFloat(t)):
                var min = node.Input.Count > 1 && node.Input[1].Length > 0 ? TensorData.ReadFloats(index.Initializer(node.Input[1])!)[0] : float.NegativeInfinity;
                var max = node.Input.Count > 2 && node.Input[2].Length > 0 ? TensorData.ReadFloats(index.Initializer(node.Input[2])!)[0] : float.PositiveInfinity;
                return (min, max);
            default:
                return null;
        }
    }

    private static bool IsAbsorbable(NodeProto node, GraphIndex index) =>
        node.Domain is "" or "ai.onnx" && ActivationBounds(node, index) is not null && !index.IsGraphOutput(node.Output[0]);

    private static (NodeRole? Role, string? Reason) Classify(NodeProto node, GraphIndex index)
    {
        if (node.Domain is not ("" or "ai.onnx"))
        {
            return (null, null);
        }

        return node.OpType switch
        {
            "Conv" => Weighted(node, index, NodeRole.Conv, weightRank: null, biasLength: WeightDim(node, index, 0)),
            "Gemm" => Weighted(node, index, NodeRole.Gemm, weightRank: 2,
                biasLength: WeightDim(node, index, node.GetInt("transB", 0) == 1 ? 0 : 1)),
            "MatMul" => node.Input.Count == 2 ? Weighted(node, index, NodeRole.MatMul, weightRank: 2, biasLength: null) : (null, null),
            "Add" => node.Input.Any(i => index.Initializer(i) is not null)
                ? (null, "one input is a constant")
                : (NodeRole.Add, null),
            "MaxPool" or "AveragePool" or "GlobalAveragePool" when index.Initializer(node.Input[0]) is not null =>
                (null, "its input is a constant"),
            "MaxPool" => node.Output.Skip(1).Any(o => o.Length > 0) ? (null, "it also outputs indices") : (NodeRole.MaxPool, null),
            "AveragePool" or "GlobalAveragePool" => (NodeRole.AveragePool, null),
            _ => (null, null),
        };
    }

    private static long? WeightDim(NodeProto node, GraphIndex index, int axis) =>
        index.Initializer(node.Input[1]) is { } w && w.Dims.Count > axis ? w.Dims[axis] : null;

    private static (NodeRole? Role, string? Reason) Weighted(NodeProto node, GraphIndex index, NodeRole role, int? weightRank,
        long? biasLength)
    {
        if (index.Initializer(node.Input[0]) is not null)
        {
            return (null, "its data input is a constant");
        }

        if (index.Initializer(node.Input[1]) is not { } weight)
        {
            return (null, "its weight is computed, not an initializer");
        }

        if (!TensorData.IsFloat(weight) || weight.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return (null, "its weight is not an embedded float tensor");
        }

        if (weightRank is { } rank ? weight.Dims.Count != rank : weight.Dims.Count < 3)
        {
            return (null, $"its weight has rank {weight.Dims.Count}");
        }

        if (node.Input.Count > 2 && node.Input[2].Length > 0
            && (index.Initializer(node.Input[2]) is not { } bias || !TensorData.IsFloat(bias)
                || TensorData.ElementCount(bias) != biasLength || bias.Dims.Reverse().Skip(1).Any(d => d != 1)))
        {
            return (null, "its bias is not a constant float vector with one value per output channel");
        }

        return (role, null);
    }
}
