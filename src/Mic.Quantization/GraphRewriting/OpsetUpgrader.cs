using Mic.Quantization.Internal;
using Onnx;

namespace Mic.Quantization.GraphRewriting;

/// <summary>
/// Rewrites a model of default-domain opset 7–12 as opset 13 / IR 7, which int8 QDQ needs (per-axis
/// <c>QuantizeLinear</c>, <c>MaxPool</c>-12 with int8). Each node is either carried over unchanged (its semantics did
/// not change by opset 13), rewritten into its opset-13 form (attributes that became inputs, BatchNormalization's
/// <c>spatial</c>, Softmax's 2-D coercion), or refused with a <see cref="NotSupportedException"/> naming the node:
/// the upgrade never guesses. Initializers listed as graph inputs (IR &lt; 4 style) become plain constants.
/// </summary>
public static class OpsetUpgrader
{
    public const int TargetOpset = 13;
    public const long TargetIrVersion = 7;

    // Ops whose opset-13 definition computes the same thing as every version since opset 7 for the same
    // attributes and inputs (later versions only added types, optional inputs or attributes whose default keeps
    // the old behaviour).
    private static readonly HashSet<string> Unchanged =
    [
        "Abs", "Add", "And", "ArgMax", "ArgMin", "AveragePool", "Cast", "Ceil", "Concat", "Constant", "ConstantOfShape",
        "Conv", "ConvTranspose", "DepthToSpace", "Div", "Elu", "Equal", "Erf", "Exp", "Expand", "Flatten", "Floor",
        "Gather", "Gemm", "GlobalAveragePool", "GlobalLpPool", "GlobalMaxPool", "Greater", "HardSigmoid", "Identity",
        "InstanceNormalization", "LeakyRelu", "Less", "Log", "LpPool", "LRN", "MatMul", "Max", "MaxPool", "Mean", "Min",
        "Mul", "Neg", "Not", "Or", "Pow", "PRelu", "Reciprocal", "ReduceL1", "ReduceL2", "ReduceLogSum",
        "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSumSquare", "Relu", "Reshape",
        "Selu", "Shape", "Sigmoid", "Sign", "Size", "Softplus", "Softsign", "SpaceToDepth", "Sqrt", "Sub", "Sum",
        "Tanh", "Tile", "Transpose", "Where", "Xor",
    ];

    /// <summary>The model's default-domain (<c>ai.onnx</c>) opset version.</summary>
    /// <exception cref="ArgumentException">The model imports no default-domain opset.</exception>
    public static long DefaultOpset(ModelProto model) =>
        model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version
        ?? throw new ArgumentException("the model imports no default-domain (ai.onnx) opset", nameof(model));

    /// <summary>
    /// A copy of <paramref name="model"/> at opset ≥ 13 and IR ≥ 7; a model already there comes back as a copy with
    /// only its initializer inputs turned into constants. <paramref name="model"/> is not modified.
    /// </summary>
    /// <exception cref="NotSupportedException">A node has no known opset-13 equivalent; the message names it.</exception>
    public static ModelProto Upgrade(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var from = DefaultOpset(model);
        var upgraded = model.Clone();
        DropInitializerInputs(upgraded.Graph);
        upgraded.IrVersion = Math.Max(upgraded.IrVersion, TargetIrVersion);
        if (from >= TargetOpset)
        {
            return upgraded;
        }

        if (from < 7)
        {
            throw new NotSupportedException(
                $"the model is opset {from}; upgrading is supported from opset 7 (numpy-style broadcasting) on");
        }

        var graph = upgraded.Graph;
        var index = new GraphIndex(graph);
        var rewritten = new List<NodeProto>(graph.Node.Count);
        foreach (var node in graph.Node)
        {
            if (node.Domain is not ("" or "ai.onnx"))
            {
                rewritten.Add(node);
                continue;
            }

            if (node.HasSubgraph())
            {
                throw Refuse(node, from, "nodes with subgraphs are not upgraded");
            }

            rewritten.AddRange(UpgradeNode(node, from, index, graph));
        }

        graph.Node.Clear();
        graph.Node.AddRange(rewritten);
        foreach (var opset in upgraded.OpsetImport.Where(o => o.Domain is "" or "ai.onnx"))
        {
            opset.Version = TargetOpset;
        }

        return upgraded;
    }

    private static IEnumerable<NodeProto> UpgradeNode(NodeProto node, long from, GraphIndex index, GraphProto graph)
    {
        if (Unchanged.Contains(node.OpType))
        {
            return [node];
        }

        switch (node.OpType)
        {
            case "BatchNormalization":
                if (node.Output.Skip(1).Any(o => o.Length > 0))
                {
                    throw Refuse(node, from, "training-mode BatchNormalization (more than one output) has no inference equivalent");
                }

                if (node.GetInt("spatial", 1) != 1)
                {
                    throw Refuse(node, from, "spatial=0 (per-activation statistics) was removed in opset 9");
                }

                node.Remove("spatial");
                node.Remove("is_test");
                return [node];
            case "Dropout":
                // Inference Dropout is the identity in every version; the ratio only matters when training.
                node.Remove("ratio");
                return [node];
            case "Clip" when from < 11:
                MoveFloatAttributesToInputs(node, graph, index, ("min", float.MinValue), ("max", float.MaxValue));
                return [node];
            case "Pad" when from < 11:
                return [UpgradePad(node, graph, index)];
            case "Squeeze" or "Unsqueeze" or "ReduceSum":
                MoveIntsToInput(node, "axes", graph, index);
                return [node];
            case "Split":
                MoveIntsToInput(node, "split", graph, index);
                return [node];
            case "Softmax" or "LogSoftmax" or "Hardmax":
                return UpgradeSoftmax(node, index);
            case "Clip" or "Pad":
                return [node];
            default:
                throw Refuse(node, from, "its opset-13 semantics differ or the upgrade for it is not implemented");
        }
    }

    private static NotSupportedException Refuse(NodeProto node, long from, string why) =>
        new($"cannot upgrade node '{node.Name}' ({node.OpType}) from opset {from} to {TargetOpset}: {why}");

    private static void MoveFloatAttributesToInputs(NodeProto node, GraphProto graph, GraphIndex index,
        params (string Name, float Default)[] attributes)
    {
        foreach (var (name, fallback) in attributes)
        {
            var value = node.GetFloat(name, fallback);
            node.Remove(name);
            var tensor = index.UniqueName($"{node.Name}_{name}");
            graph.Initializer.Add(TensorData.FloatScalar(tensor, value));
            node.Input.Add(tensor);
        }
    }

    private static NodeProto UpgradePad(NodeProto node, GraphProto graph, GraphIndex index)
    {
        var pads = node.GetInts("pads") ?? throw new NotSupportedException($"Pad node '{node.Name}' has no pads");
        var value = node.GetFloat("value", 0f);
        node.Remove("pads");
        node.Remove("value");
        var padsName = index.UniqueName($"{node.Name}_pads");
        var valueName = index.UniqueName($"{node.Name}_value");
        graph.Initializer.Add(TensorData.Int64(padsName, [pads.Length], pads));
        graph.Initializer.Add(TensorData.FloatScalar(valueName, value));
        node.Input.Add(padsName);
        node.Input.Add(valueName);
        return node;
    }

    private static void MoveIntsToInput(NodeProto node, string attribute, GraphProto graph, GraphIndex index)
    {
        if (node.GetInts(attribute) is not { } values)
        {
            return;
        }

        if (node.Input.Count != 1)
        {
            throw new NotSupportedException($"node '{node.Name}' ({node.OpType}) has both a '{attribute}' attribute and a second input");
        }

        node.Remove(attribute);
        var name = index.UniqueName($"{node.Name}_{attribute}");
        graph.Initializer.Add(TensorData.Int64(name, [values.Length], values));
        node.Input.Add(name);
    }

    // Before opset 13 Softmax flattened its input to 2-D at `axis` and normalized each row; from 13 it normalizes
    // along `axis` only. Flatten → Softmax(axis=1) → Reshape(original shape) is the old meaning in the new opset.
    private static IEnumerable<NodeProto> UpgradeSoftmax(NodeProto node, GraphIndex index)
    {
        var axis = node.GetInt("axis", 1);
        var input = node.Input[0];
        if (axis == 1 && index.Producer(input)?.OpType is "Gemm" or "Flatten")
        {
            // Their outputs are 2-D, where both meanings agree.
            node.SetInt("axis", 1);
            return [node];
        }

        var flat = index.UniqueName($"{input}_flat2d");
        var shape = index.UniqueName($"{input}_shape");
        var normalized = index.UniqueName($"{node.Output[0]}_2d");
        var flatten = new NodeProto { OpType = "Flatten", Name = index.UniqueName($"{node.Name}_flatten"), Input = { input }, Output = { flat } };
        flatten.SetInt("axis", axis);
        var shapeOf = new NodeProto { OpType = "Shape", Name = index.UniqueName($"{node.Name}_shape"), Input = { input }, Output = { shape } };
        var reshape = new NodeProto { OpType = "Reshape", Name = index.UniqueName($"{node.Name}_reshape"), Input = { normalized, shape }, Output = { node.Output[0] } };
        node.Input[0] = flat;
        node.Output[0] = normalized;
        node.SetInt("axis", 1);
        return [flatten, shapeOf, node, reshape];
    }

    private static void DropInitializerInputs(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
    }
}
