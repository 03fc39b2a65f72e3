using Onnx;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Mic.Trainer.OnnxToTorch;

/// <summary>
/// Compiles ONNX nodes into TorchSharp calls. Semantics follow the ONNX operator specification at the graph's opset;
/// every op here is checked against ONNX's own backend test cases (tests/Trainer.Tests/Onnx).
/// </summary>
internal static partial class OnnxOps
{
    public static IReadOnlyList<string> Supported { get; } =
    [
        "Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Constant", "Conv", "Div", "Dropout", "Exp",
        "Flatten", "Gather", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid", "HardSwish", "Identity",
        "LeakyRelu", "MatMul", "MaxPool", "Mul", "Pad", "ReduceMean", "Relu", "Reshape", "Shape", "Sigmoid", "Softmax",
        "Split", "Squeeze", "Sub", "Sum", "Tanh", "Transpose", "Unsqueeze",
    ];

    /// <summary>
    /// Compiles one node. <paramref name="mayOverwriteInput"/> says its first input is an intermediate value read by no
    /// other node, so Relu and Add may work in place (as torchvision's ResNet does) without changing any result.
    /// </summary>
    public static OnnxKernel Compile(NodeProto node, int opset, bool mayOverwriteInput = false)
    {
        var a = new OnnxAttributes(node);
        var where = $"node '{node.Name}' ({node.OpType})";
        return node.OpType switch
        {
            "Relu" => Unary(x => F.relu(x, inplace: mayOverwriteInput)),
            "Sigmoid" => Unary(x => x.sigmoid()),
            "Tanh" => Unary(x => x.tanh()),
            "Exp" => Unary(x => x.exp()),
            "LeakyRelu" => Unary(x => F.leaky_relu(x, a.Float("alpha", 0.01f))),
            "HardSigmoid" => HardSigmoid(a.Float("alpha", 0.2f), a.Float("beta", 0.5f)),
            "HardSwish" => Unary(x => x * (x / 6 + 0.5).clamp(0, 1)),
            "Identity" => (inputs, _) => [inputs[0]!.alias()],
            "Add" => Binary((x, y) => mayOverwriteInput && x.is_floating_point() && x.shape.SequenceEqual(y.shape) && x.dtype == y.dtype ? x.add_(y) : x + y),
            "Sub" => Binary((x, y) => x - y),
            "Mul" => Binary((x, y) => x * y),
            "Div" => Binary((x, y) => x.is_floating_point() ? x / y : x.div(y, RoundingMode.trunc)),
            "Sum" => (inputs, _) => [inputs.Skip(1).Aggregate(inputs[0]!, (acc, x) => acc + x!)],
            "Clip" => Clip(a, opset),
            "Conv" => Conv(a, where),
            "MaxPool" when node.Output.Count > 1 => throw new UnsupportedOnnxOpException(
                $"ONNX op 'MaxPool' (node '{node.Name}'): the Indices output is not supported"),
            "MaxPool" => Pool(a, where, max: true),
            "AveragePool" => Pool(a, where, max: false),
            "GlobalAveragePool" => Unary(x => x.mean(SpatialDims(x), keepdim: true)),
            "GlobalMaxPool" => Unary(x => x.amax(SpatialDims(x), keepdim: true)),
            "BatchNormalization" => BatchNormalization(a, opset, where),
            "Dropout" => Dropout(a, opset),
            "Flatten" => Flatten(a),
            "Reshape" => Reshape(a, opset),
            "Gemm" => Gemm(a),
            "MatMul" => Binary((x, y) => x.matmul(y)),
            "Concat" => (inputs, _) => [cat(inputs.Select(x => x!).ToArray(), a.Int("axis", 0))],
            "Pad" => Pad(a, opset, where),
            "Split" => Split(a, opset, node.Output.Count),
            "Softmax" => Softmax(a, opset),
            "Transpose" => Transpose(a),
            "Gather" => Gather(a),
            "Cast" => Cast(a, where),
            "Shape" => Shape(a),
            "Unsqueeze" => Unsqueeze(a, opset),
            "Squeeze" => Squeeze(a, opset),
            "Constant" => Constant(a, where),
            "ReduceMean" => ReduceMean(a, opset),
            _ => throw new UnsupportedOnnxOpException(
                $"ONNX op '{node.OpType}' (node '{node.Name}') is not supported by the trainer's importer; supported: {string.Join(", ", Supported)}"),
        };
    }

    private static OnnxKernel Unary(Func<Tensor, Tensor> f) => (inputs, _) => [f(inputs[0]!)];

    private static OnnxKernel Binary(Func<Tensor, Tensor, Tensor> f) => (inputs, _) => [f(inputs[0]!, inputs[1]!)];

    private static OnnxKernel HardSigmoid(float alpha, float beta) => Unary(x => (x * alpha + beta).clamp(0, 1));

    private static long[] SpatialDims(Tensor x) => Enumerable.Range(2, (int)x.dim() - 2).Select(i => (long)i).ToArray();

    private static long Axis(long axis, long rank) => axis < 0 ? axis + rank : axis;

    private static OnnxKernel Clip(OnnxAttributes a, int opset)
    {
        if (opset < 11)
        {
            var min = a.Float("min", float.NegativeInfinity);
            var max = a.Float("max", float.PositiveInfinity);
            return Unary(x => x.clamp(min, max));
        }

        return (inputs, _) =>
        {
            var x = inputs[0]!;
            Tensor? min = inputs.Length > 1 ? inputs[1] : null;
            Tensor? max = inputs.Length > 2 ? inputs[2] : null;
            return [min is null && max is null ? x.alias() : x.clamp(min, max)];
        };
    }

    private static OnnxKernel Dropout(OnnxAttributes a, int opset)
    {
        var ratioAttribute = a.Float("ratio", 0.5f);
        return (inputs, training) =>
        {
            var x = inputs[0]!;
            var ratio = opset >= 12 && inputs.Length > 1 && inputs[1] is { } r ? OnnxTensors.ToScalar(r) : ratioAttribute;
            var explicitMode = opset >= 12 && inputs.Length > 2 && inputs[2] is { } t && OnnxTensors.ToScalar(t) != 0;
            var active = (training || explicitMode) && ratio > 0;
            var y = active ? F.dropout(x, ratio, training: true) : x.alias();
            return [y, active ? y.ne(0) : ones_like(x, ScalarType.Bool)];
        };
    }

    private static OnnxKernel Flatten(OnnxAttributes a)
    {
        var axis = a.Int("axis", 1);
        return Unary(x =>
        {
            var at = Axis(axis, x.dim());
            var outer = x.shape.Take((int)at).Aggregate(1L, (p, d) => p * d);
            return x.reshape(outer, x.shape.Skip((int)at).Aggregate(1L, (p, d) => p * d));
        });
    }

    private static OnnxKernel Reshape(OnnxAttributes a, int opset)
    {
        var attributeShape = a.Ints("shape");
        var allowZero = a.Int("allowzero", 0) != 0;
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            var shape = opset < 5 ? attributeShape! : OnnxTensors.ToLongs(inputs[1]!);
            var target = new long[shape.Length];
            for (var i = 0; i < shape.Length; i++)
            {
                target[i] = shape[i] == 0 && !allowZero ? x.shape[i] : shape[i];
            }

            return [x.reshape(target)];
        };
    }

    private static OnnxKernel Gemm(OnnxAttributes a)
    {
        var alpha = a.Float("alpha", 1f);
        var beta = a.Float("beta", 1f);
        var transA = a.Int("transA", 0) != 0;
        var transB = a.Int("transB", 0) != 0;
        return (inputs, _) =>
        {
            var x = transA ? inputs[0]!.t() : inputs[0]!;
            var w = inputs[1]!;
            var c = inputs.Length > 2 ? inputs[2] : null;
            if (transB && alpha == 1f && beta == 1f && (c is null || c.dim() == 1))
            {
                return [F.linear(x, w, c)]; // the common Linear layer: one fused call
            }

            var y = x.matmul(transB ? w.t() : w);
            if (alpha != 1f)
            {
                y = y * alpha;
            }

            if (c is not null)
            {
                y = beta == 1f ? y + c : y + c * beta;
            }

            return [y];
        };
    }

    private static OnnxKernel Softmax(OnnxAttributes a, int opset)
    {
        var axis = a.Int("axis", opset < 13 ? 1 : -1);
        return Unary(x =>
        {
            if (opset >= 13)
            {
                return x.softmax(axis);
            }

            // Before opset 13 the input is coerced to 2-D at `axis` and normalised over the trailing block.
            var at = Axis(axis, x.dim());
            var outer = x.shape.Take((int)at).Aggregate(1L, (p, d) => p * d);
            return x.reshape(outer, -1).softmax(1).reshape(x.shape);
        });
    }

    private static OnnxKernel Transpose(OnnxAttributes a)
    {
        var perm = a.Ints("perm");
        return Unary(x => x.permute(perm ?? Enumerable.Range(0, (int)x.dim()).Reverse().Select(i => (long)i).ToArray()));
    }

    private static OnnxKernel Gather(OnnxAttributes a)
    {
        var axis = a.Int("axis", 0);
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            var at = Axis(axis, x.dim());
            var indices = inputs[1]!.to_type(ScalarType.Int64);
            indices = where(indices.lt(0), indices + x.shape[at], indices);
            var picked = x.index_select(at, indices.flatten());
            var shape = x.shape.Take((int)at).Concat(indices.shape).Concat(x.shape.Skip((int)at + 1)).ToArray();
            return [picked.reshape(shape)];
        };
    }

    private static OnnxKernel Cast(OnnxAttributes a, string where)
    {
        var to = OnnxTensors.ToScalarType((TensorProto.Types.DataType)a.Int("to", 0), where);
        return Unary(x => x.dtype == to ? x.alias() : x.to_type(to));
    }

    private static OnnxKernel Shape(OnnxAttributes a)
    {
        var start = a.Int("start", 0);
        var end = a.Has("end") ? a.Int("end", 0) : (long?)null;
        return Unary(x =>
        {
            var rank = x.dim();
            var from = Math.Clamp(Axis(start, rank), 0, rank);
            var to = Math.Clamp(end is { } e ? Axis(e, rank) : rank, 0, rank);
            return tensor(x.shape.Skip((int)from).Take((int)Math.Max(0, to - from)).ToArray(), ScalarType.Int64);
        });
    }

    private static long[] AxesFrom(OnnxAttributes a, int opset, int newOpset, Tensor?[] inputs) =>
        opset < newOpset ? a.Ints("axes") ?? [] : inputs.Length > 1 && inputs[1] is { } t ? OnnxTensors.ToLongs(t) : [];

    private static OnnxKernel Unsqueeze(OnnxAttributes a, int opset) => (inputs, _) =>
    {
        var x = inputs[0]!;
        var axes = AxesFrom(a, opset, 13, inputs);
        var rank = x.dim() + axes.Length;
        foreach (var axis in axes.Select(axis => Axis(axis, rank)).Order())
        {
            x = x.unsqueeze(axis);
        }

        return [x];
    };

    private static OnnxKernel Squeeze(OnnxAttributes a, int opset) => (inputs, _) =>
    {
        var x = inputs[0]!;
        var axes = AxesFrom(a, opset, 13, inputs);
        if (axes.Length == 0)
        {
            axes = Enumerable.Range(0, (int)x.dim()).Where(i => x.shape[i] == 1).Select(i => (long)i).ToArray();
        }

        var rank = x.dim();
        foreach (var axis in axes.Select(axis => Axis(axis, rank)).OrderDescending())
        {
            x = x.squeeze(axis);
        }

        return [x];
    };

    private static OnnxKernel ReduceMean(OnnxAttributes a, int opset)
    {
        var keep = a.Int("keepdims", 1) != 0;
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            var axes = AxesFrom(a, opset, 18, inputs);
            return [axes.Length == 0 ? (keep ? x.mean(Enumerable.Range(0, (int)x.dim()).Select(i => (long)i).ToArray(), keepdim: true) : x.mean()) : x.mean(axes, keepdim: keep)];
        };
    }

    private static OnnxKernel Constant(OnnxAttributes a, string where)
    {
        Tensor value;
        if (a.Tensor("value") is { } proto)
        {
            value = OnnxTensors.ToTorch(proto);
        }
        else if (a.Has("value_float"))
        {
            value = tensor(a.Float("value_float", 0));
        }
        else if (a.Has("value_int"))
        {
            value = tensor(a.Int("value_int", 0));
        }
        else if (a.Floats("value_floats") is { } floats)
        {
            value = tensor(floats);
        }
        else if (a.Ints("value_ints") is { } ints)
        {
            value = tensor(ints);
        }
        else
        {
            throw new UnsupportedOnnxOpException($"{where}: only numeric tensor constants are supported");
        }

        value = value.DetachFromDisposeScope();
        return (_, _) => [value.alias()];
    }

    private static OnnxKernel Split(OnnxAttributes a, int opset, int outputs)
    {
        var axis = a.Int("axis", 0);
        var attributeSplit = a.Ints("split");
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            var at = Axis(axis, x.dim());
            var sizes = opset < 13 ? attributeSplit : inputs.Length > 1 && inputs[1] is { } s ? OnnxTensors.ToLongs(s) : null;
            if (sizes is null || sizes.Length == 0)
            {
                var each = (x.shape[at] + outputs - 1) / outputs;
                sizes = Enumerable.Range(0, outputs).Select(i => Math.Min(each, x.shape[at] - (i * each))).ToArray();
            }

            return x.split(sizes, at);
        };
    }

    private static OnnxKernel Pad(OnnxAttributes a, int opset, string where)
    {
        var mode = a.String("mode", "constant") switch
        {
            "constant" => PaddingModes.Constant,
            "reflect" => PaddingModes.Reflect,
            "edge" => PaddingModes.Replicate,
            var other => throw new UnsupportedOnnxOpException($"{where}: pad mode '{other}' is not supported"),
        };
        var attributePads = a.Ints("pads");
        var attributeValue = a.Float("value", 0f);
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            var pads = opset < 11 ? attributePads! : OnnxTensors.ToLongs(inputs[1]!);
            var value = opset < 11 ? attributeValue : inputs.Length > 2 && inputs[2] is { } v ? OnnxTensors.ToScalar(v) : 0.0;
            var rank = (int)x.dim();
            // ONNX: [b0, b1, ..., e0, e1, ...]; torch: last dim first, (begin, end) pairs, leading zero pairs dropped.
            var first = 0;
            while (first < rank && pads[first] == 0 && pads[first + rank] == 0)
            {
                first++;
            }

            var torchPads = new List<long>();
            for (var d = rank - 1; d >= first; d--)
            {
                torchPads.Add(pads[d]);
                torchPads.Add(pads[d + rank]);
            }

            return [torchPads.Count == 0 ? x.alias() : F.pad(x, torchPads.ToArray(), mode, value)];
        };
    }
}
