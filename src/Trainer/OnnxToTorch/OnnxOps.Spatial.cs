using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Mic.Trainer.OnnxToTorch;

// Conv, pooling and BatchNormalization: the ops whose ONNX padding rules differ from torch's (asymmetric and
// auto_pad pads, ceil mode, count_include_pad) and so need care to match ONNX exactly.
internal static partial class OnnxOps
{
    private sealed record Window(long[] Kernel, long[] Strides, long[] Dilations, long[] Begin, long[] End)
    {
        public int Rank => Kernel.Length;

        public long Extent(int d) => ((Kernel[d] - 1) * Dilations[d]) + 1;
    }

    private static Window ResolveWindow(OnnxAttributes a, long[] kernel, long[] inputSpatial, string where)
    {
        var rank = kernel.Length;
        var strides = a.Ints("strides") ?? Enumerable.Repeat(1L, rank).ToArray();
        var dilations = a.Ints("dilations") ?? Enumerable.Repeat(1L, rank).ToArray();
        var begin = new long[rank];
        var end = new long[rank];
        var autoPad = a.String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET":
                var pads = a.Ints("pads") ?? new long[rank * 2];
                Array.Copy(pads, 0, begin, 0, rank);
                Array.Copy(pads, rank, end, 0, rank);
                break;
            case "VALID":
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                for (var d = 0; d < rank; d++)
                {
                    var output = (inputSpatial[d] + strides[d] - 1) / strides[d];
                    var total = Math.Max(0, ((output - 1) * strides[d]) + ((kernel[d] - 1) * dilations[d]) + 1 - inputSpatial[d]);
                    var small = total / 2;
                    (begin[d], end[d]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
                }

                break;
            default:
                throw new UnsupportedOnnxOpException($"{where}: auto_pad '{autoPad}' is not supported");
        }

        return new Window(kernel, strides, dilations, begin, end);
    }

    private static long OutputSize(long input, Window w, int d, bool ceil)
    {
        var span = input + w.Begin[d] + w.End[d] - w.Extent(d);
        return (ceil ? (span + w.Strides[d] - 1) / w.Strides[d] : span / w.Strides[d]) + 1;
    }

    /// <summary>Pads explicitly (torch order: last dim first) the given amounts before and after each spatial dim.</summary>
    private static Tensor PadSpatial(Tensor x, long[] before, long[] after, double value)
    {
        if (before.All(p => p == 0) && after.All(p => p == 0))
        {
            return x;
        }

        var pads = new long[before.Length * 2];
        for (var d = 0; d < before.Length; d++)
        {
            var slot = (before.Length - 1 - d) * 2;
            pads[slot] = before[d];
            pads[slot + 1] = after[d];
        }

        return F.pad(x, pads, PaddingModes.Constant, value);
    }

    /// <summary>Narrows each spatial dim of <paramref name="y"/> to the size ONNX's formula gives.</summary>
    private static Tensor NarrowTo(Tensor y, long[] expected)
    {
        for (var d = 0; d < expected.Length; d++)
        {
            var axis = d + 2;
            if (y.shape[axis] > expected[d])
            {
                y = y.narrow(axis, 0, expected[d]);
            }
        }

        return y;
    }

    /// <summary>1-D ops run as 2-D ones over a trailing dim of 1; 3-D and beyond are not needed by image backbones.</summary>
    private static (Tensor X, Func<Tensor, Tensor> Back, long[] Kernel) As2d(Tensor x, long[] kernel, string where)
    {
        return kernel.Length switch
        {
            2 => (x, y => y, kernel),
            1 => (x.unsqueeze(-1), y => y.squeeze(-1), [kernel[0], 1]),
            _ => throw new UnsupportedOnnxOpException($"{where}: {kernel.Length}-D windows are not supported (1-D and 2-D are)"),
        };
    }

    private static Window Widen(Window w) => w.Rank == 2 ? w : new Window(
        [w.Kernel[0], 1], [w.Strides[0], 1], [w.Dilations[0], 1], [w.Begin[0], 0], [w.End[0], 0]);

    private static OnnxKernel Conv(OnnxAttributes a, string where)
    {
        var group = a.Int("group", 1);
        var kernelAttribute = a.Ints("kernel_shape");
        return (inputs, _) =>
        {
            var x = inputs[0]!;
            var weight = inputs[1]!;
            var bias = inputs.Length > 2 ? inputs[2] : null;
            var kernel = kernelAttribute ?? weight.shape.Skip(2).ToArray();
            var w = ResolveWindow(a, kernel, x.shape.Skip(2).ToArray(), where);
            var expected = Enumerable.Range(0, w.Rank).Select(d => OutputSize(x.shape[d + 2], w, d, ceil: false)).ToArray();
            var (x2, back, _) = As2d(x, kernel, where);
            var w2 = Widen(w);
            var weight2 = kernel.Length == 1 ? weight.unsqueeze(-1) : weight;
            // torch pads symmetrically: pad any extra end explicitly, and narrow away outputs a larger begin adds.
            var extra = w2.End.Zip(w2.Begin, (e, b) => Math.Max(0, e - b)).ToArray();
            x2 = PadSpatial(x2, new long[2], extra, 0);
            var pointwise = group == 1 && weight2.shape[2] == 1 && weight2.shape[3] == 1 && w2.Begin.All(b => b == 0);
            var y = pointwise ? PointwiseConv(x2, weight2, bias, w2.Strides) : F.conv2d(x2, weight2, bias, w2.Strides, w2.Begin, w2.Dilations, group);
            return [NarrowTo(back(y), expected)];
        };
    }

    /// <summary>
    /// A 1×1 convolution (no padding, one group) as what it is, a matrix product over channels of the sampled pixels,
    /// not through libtorch's convolution: on AMD Zen 5 CPUs (EPYC, CPU family 26, AVX-512) libtorch 2.10's oneDNN 1×1 convolution
    /// returns wrong values on channels_last input from 256 input channels up (a relative error of ~0.3–0.6), and at
    /// stride 2 it crashes the process on either layout at some shapes (e.g. 256 → 1024 channels at 2×2 on NCHW, 512 →
    /// 1024 at 14×14 on channels_last). The product is right at all 205 ResNet shapes checked, forward and backward; it
    /// runs through MKL, which <see cref="Training.NumericalReproducibility"/> keeps reproducible from call to call.
    /// tests/Trainer.Tests/Onnx/PointwiseConvTests.cs.
    /// </summary>
    private static Tensor PointwiseConv(Tensor x, Tensor weight, Tensor? bias, long[] strides)
    {
        var sampled = strides.All(s => s == 1)
            ? x
            : x[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, strides[0]), TensorIndex.Slice(null, null, strides[1])];
        var y = F.linear(sampled.permute(0, 2, 3, 1), weight.reshape(weight.shape[0], weight.shape[1]), bias);
        return y.permute(0, 3, 1, 2);
    }

    private static OnnxKernel Pool(OnnxAttributes a, string where, bool max)
    {
        var kernel = a.Ints("kernel_shape") ?? throw new UnsupportedOnnxOpException($"{where}: kernel_shape is required");
        if (kernel.Length is not (1 or 2))
        {
            throw new UnsupportedOnnxOpException($"{where}: {kernel.Length}-D windows are not supported (1-D and 2-D are)");
        }

        var ceil = a.Int("ceil_mode", 0) != 0;
        var countIncludePad = a.Int("count_include_pad", 0) != 0;
        if (a.Int("storage_order", 0) != 0)
        {
            throw new UnsupportedOnnxOpException($"{where}: storage_order=1 is not supported");
        }

        return (inputs, _) =>
        {
            var x = inputs[0]!;
            var w = ResolveWindow(a, kernel, x.shape.Skip(2).ToArray(), where);
            var expected = Enumerable.Range(0, w.Rank).Select(d => OutputSize(x.shape[d + 2], w, d, ceil)).ToArray();
            var (x2, back, k2) = As2d(x, kernel, where);
            var w2 = Widen(w);
            // torch pads symmetrically; when the end pads are no larger than the begin pads, padding by the begin pads
            // and narrowing to ONNX's output size gives the same windows without copying the input (which would also
            // lose channels_last strides: the offline ResNet18's stem MaxPool has pads 1,1,0,0).
            var native = w2.End.Zip(w2.Begin, (e, b) => e <= b).All(ok => ok) && w2.Begin.Select((b, d) => b * 2 <= k2[d]).All(ok => ok);
            Tensor y;
            if (max)
            {
                if (native)
                {
                    y = F.max_pool2d(x2, k2, w2.Strides, w2.Begin, w2.Dilations, ceil);
                }
                else
                {
                    var padded = PadSpatial(x2, w2.Begin, w2.End, double.NegativeInfinity);
                    y = F.max_pool2d(padded, k2, w2.Strides, new long[2], w2.Dilations, ceil);
                }
            }
            else if (w2.Dilations.Any(d => d != 1))
            {
                throw new UnsupportedOnnxOpException($"{where}: dilated AveragePool is not supported");
            }
            else if (native)
            {
                y = F.avg_pool2d(x2, k2, w2.Strides, w2.Begin, ceil, countIncludePad);
            }
            else if (countIncludePad)
            {
                y = F.avg_pool2d(PadSpatial(x2, w2.Begin, w2.End, 0), k2, w2.Strides, new long[2], ceil, true);
            }
            else
            {
                // Mean over the real pixels only: pooled sum / pooled count of a ones mask, both padded with zeros.
                var sum = F.avg_pool2d(PadSpatial(x2, w2.Begin, w2.End, 0), k2, w2.Strides, new long[2], ceil, true);
                using var mask = ones(1, 1, x2.shape[2], x2.shape[3], dtype: x2.dtype, device: x2.device);
                var count = F.avg_pool2d(PadSpatial(mask, w2.Begin, w2.End, 0), k2, w2.Strides, new long[2], ceil, true);
                y = sum / count;
            }

            return [NarrowTo(back(y), expected)];
        };
    }

    private static OnnxKernel BatchNormalization(OnnxAttributes a, int opset, string where)
    {
        var epsilon = a.Float("epsilon", 1e-5f);
        var momentum = a.Float("momentum", 0.9f);
        if (opset < 9 && a.Int("spatial", 1) != 1)
        {
            throw new UnsupportedOnnxOpException($"{where}: BatchNormalization with spatial=0 is not supported");
        }

        var trainingMode = opset >= 14 && a.Int("training_mode", 0) != 0;
        return (inputs, training) =>
        {
            var x = inputs[0]!;
            var scale = inputs[1]!;
            var bias = inputs[2]!;
            var mean = inputs[3]!;
            var variance = inputs[4]!;
            if (trainingMode)
            {
                // ONNX's own training semantics: population variance for both the output and the running update.
                var dims = new long[] { 0 }.Concat(SpatialDims(x)).ToArray();
                var batchMean = x.mean(dims);
                var batchVar = x.var(dims, unbiased: false);
                var shape = new long[x.dim()];
                Array.Fill(shape, 1L);
                shape[1] = -1;
                var y = ((x - batchMean.reshape(shape)) / (batchVar.reshape(shape) + epsilon).sqrt() * scale.reshape(shape)) + bias.reshape(shape);
                return [y, (mean * momentum) + (batchMean * (1 - momentum)), (variance * momentum) + (batchVar * (1 - momentum))];
            }

            // In training the running statistics are the module's buffers, updated in place as PyTorch does.
            return [F.batch_norm(x, mean, variance, scale, bias, training, 1 - momentum, epsilon)];
        };
    }
}
