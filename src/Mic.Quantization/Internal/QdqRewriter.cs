using Onnx;

namespace Mic.Quantization.Internal;

/// <summary>
/// Applies a <see cref="QdqPlan"/> to its graph in place: int8 per-channel weights and int32 biases behind
/// DequantizeLinear for Conv/Gemm/MatMul, and a uint8 QuantizeLinear→DequantizeLinear pair on every planned
/// activation, its readers rewired to the dequantized value. Node order stays topological.
/// </summary>
internal sealed class QdqRewriter(GraphIndex index, QdqPlan plan, IReadOnlyDictionary<string, QuantParams> parameters, int weightLimit)
{
    private readonly GraphProto _graph = index.Graph;
    private readonly List<NodeProto> _prefix = [];

    public void Apply()
    {
        foreach (var (node, role) in plan.Nodes)
        {
            switch (role)
            {
                case NodeRole.Conv:
                    QuantizeWeights(node, axis: 0, multiplier: 1f, biasMultiplier: 1f);
                    break;
                case NodeRole.Gemm:
                    // alpha and beta are folded into B and C so QGemm's int32 bias is simply x_scale·w_scale.
                    QuantizeWeights(node, axis: node.GetInt("transB", 0) == 1 ? 0 : 1,
                        multiplier: node.GetFloat("alpha", 1f), biasMultiplier: node.GetFloat("beta", 1f));
                    node.Remove("alpha");
                    node.Remove("beta");
                    break;
                case NodeRole.MatMul:
                    QuantizeWeights(node, axis: 1, multiplier: 1f, biasMultiplier: 1f);
                    break;
            }
        }

        var pairs = plan.Activations.ToDictionary(t => t, AddPairInitializers);
        foreach (var input in _graph.Input.Where(i => pairs.ContainsKey(i.Name)))
        {
            _prefix.AddRange(pairs[input.Name].Nodes);
        }

        var nodes = new List<NodeProto>(_prefix);
        foreach (var node in _graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (pairs.TryGetValue(node.Input[i], out var pair))
                {
                    node.Input[i] = pair.Dequantized;
                }
            }

            nodes.Add(node);
            foreach (var output in node.Output.Where(pairs.ContainsKey))
            {
                nodes.AddRange(pairs[output].Nodes);
            }
        }

        _graph.Node.Clear();
        _graph.Node.AddRange(nodes);
        GraphIndex.RemoveUnusedInitializers(_graph);
    }

    private (string Dequantized, NodeProto[] Nodes) AddPairInitializers(string tensor)
    {
        var p = parameters[plan.Root(tensor)];
        var scale = Initializer(TensorData.FloatScalar(index.UniqueName($"{tensor}_scale"), p.Scale));
        var zeroPoint = Initializer(TensorData.Uint8Scalar(index.UniqueName($"{tensor}_zero_point"), p.ZeroPoint));
        var quantized = index.UniqueName($"{tensor}_quantized");
        var dequantized = index.UniqueName($"{tensor}_dequantized");
        var q = Node("QuantizeLinear", [tensor, scale, zeroPoint], quantized, axis: null);
        var dq = Node("DequantizeLinear", [quantized, scale, zeroPoint], dequantized, axis: null);
        return (dequantized, [q, dq]);
    }

    private void QuantizeWeights(NodeProto node, int axis, float multiplier, float biasMultiplier)
    {
        var weight = index.Initializer(node.Input[1])!;
        var w = TensorData.ReadFloats(weight);
        if (multiplier != 1f)
        {
            w = [.. w.Select(v => v * multiplier)];
        }

        var inputScale = parameters[plan.Root(node.Input[0])].Scale;
        var hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        var bias = hasBias ? [.. TensorData.ReadFloats(index.Initializer(node.Input[2])!).Select(b => b * biasMultiplier)] : (float[]?)null;
        var (values, scales) = WeightQuantizer.PerChannel(w, weight.Dims, axis, weightLimit,
            bias is null ? null : WeightQuantizer.MinScalesForBias(bias, inputScale));
        var channels = scales.Length;

        var stem = node.Input[1];
        var wq = Initializer(TensorData.Int8(index.UniqueName($"{stem}_quantized"), weight.Dims, values));
        var ws = Initializer(TensorData.Floats(index.UniqueName($"{stem}_scale"), [channels], scales));
        var wz = Initializer(TensorData.Int8(index.UniqueName($"{stem}_zero_point"), [channels], new sbyte[channels]));
        node.Input[1] = index.UniqueName($"{stem}_dequantized");
        _prefix.Add(Node("DequantizeLinear", [wq, ws, wz], node.Input[1], axis));

        if (bias is null)
        {
            return;
        }

        var biasStem = node.Input[2];
        var biasScales = scales.Select(s => inputScale * s).ToArray();
        var bq = Initializer(TensorData.Int32(index.UniqueName($"{biasStem}_quantized"), [channels], WeightQuantizer.Bias(bias, inputScale, scales)));
        var bs = Initializer(TensorData.Floats(index.UniqueName($"{biasStem}_scale"), [channels], biasScales));
        var bz = Initializer(TensorData.Int32(index.UniqueName($"{biasStem}_zero_point"), [channels], new int[channels]));
        node.Input[2] = index.UniqueName($"{biasStem}_dequantized");
        _prefix.Add(Node("DequantizeLinear", [bq, bs, bz], node.Input[2], axis: 0));
    }

    private string Initializer(TensorProto tensor)
    {
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private NodeProto Node(string op, string[] inputs, string output, int? axis)
    {
        var node = new NodeProto { OpType = op, Name = index.UniqueName($"{output}_{op}"), Output = { output } };
        node.Input.AddRange(inputs);
        if (axis is { } a)
        {
            node.SetInt("axis", a);
        }

        return node;
    }
}
