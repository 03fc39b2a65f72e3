using Mic.Quantization.Internal;
using Mic.Quantization.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Quantization;

/// <summary>
/// Static int8 QDQ quantization of an fp32 ONNX model that obeys the model contract (one uint8 NHWC <c>pixels</c>
/// input), in the form ONNX Runtime fuses into int8 kernels on CPU (docs/quantization.md): opset upgraded to 13 and
/// BatchNormalization folded first; per-channel symmetric int8 weights and int32 biases for Conv, Gemm and MatMul;
/// uint8 asymmetric activations calibrated on real samples, with Relu/Clip absorbed; Add and pooling quantized where
/// their inputs are. Inputs, outputs and everything outside those nodes (the preprocessing, a final Softmax) stay
/// as they were. Thread-safe: it keeps no state.
/// </summary>
public static class QdqQuantizer
{
    /// <summary>
    /// Quantizes a copy of <paramref name="fp32"/> (which is not modified), then runs the fp32 and the int8 model on
    /// the calibration samples and reports how closely they agree.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The model's input does not match the calibration samples, or the model is already quantized.
    /// </exception>
    /// <exception cref="NotSupportedException">The model cannot be upgraded to opset 13; the message names the node.</exception>
    public static QuantizationResult Quantize(ModelProto fp32, CalibrationData calibration, QuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fp32);
        ArgumentNullException.ThrowIfNull(calibration);
        options ??= QuantizationOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Percentile, 50, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Percentile, 100, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HistogramBins, 512, nameof(options));

        if (fp32.Graph.Node.FirstOrDefault(n => n.OpType is "QuantizeLinear" or "DequantizeLinear" or "QLinearConv") is { } quantized)
        {
            throw new ArgumentException($"the model is already quantized (node '{quantized.Name}' is {quantized.OpType}); pass the fp32 model", nameof(fp32));
        }

        var sourceOpset = OpsetUpgrader.DefaultOpset(fp32);
        var folding = BatchNormFolder.Fold(OpsetUpgrader.Upgrade(fp32));
        var reference = folding.Model;
        var input = CheckInput(reference.Graph, calibration);

        var model = reference.Clone();
        var index = new GraphIndex(model.Graph);
        var excluded = new Dictionary<NodeProto, string>();
        var plan = QdqPlanner.Plan(index, options.KeepFloat, excluded);
        var (ranges, nonFloat) = new Calibrator(model, input, calibration, options).Collect(plan.Activations);
        while (plan.Nodes.Keys.Where(n => Touches(n, plan, index, nonFloat)).ToList() is { Count: > 0 } unfit)
        {
            foreach (var node in unfit)
            {
                excluded[node] = "it computes on non-float tensors";
            }

            plan = QdqPlanner.Plan(index, options.KeepFloat, excluded);
        }

        var parameters = plan.Activations.Select(plan.Root).Distinct()
            .ToDictionary(t => t, t => Parameters(t, ranges[t], index));
        new QdqRewriter(index, plan, parameters, options.ReduceRange ? 63 : 127).Apply();
        var agreement = Agreement(reference, model, input, calibration, options.IntraOpThreads);

        return new QuantizationResult(model, new QuantizationReport
        {
            Method = options.Method,
            CalibrationImages = calibration.Count,
            SourceOpset = sourceOpset,
            FoldedBatchNorms = folding.Folded,
            QuantizedConv = plan.Count(NodeRole.Conv),
            QuantizedGemm = plan.Count(NodeRole.Gemm) + plan.Count(NodeRole.MatMul),
            QuantizedAdd = plan.Count(NodeRole.Add),
            QuantizedPool = plan.Count(NodeRole.MaxPool) + plan.Count(NodeRole.AveragePool),
            QuantizedActivations = plan.Activations.Count,
            LeftInFloat = [.. plan.LeftInFloat, .. folding.Left.Select(l => $"{l} (BatchNormalization not folded)")],
            MinOutputCosine = agreement.MinCosine,
            Top1Agreement = agreement.Top1,
        });
    }

    private static string CheckInput(GraphProto graph, CalibrationData calibration)
    {
        if (graph.Input.Count != 1)
        {
            throw new ArgumentException(
                $"calibration feeds one uint8 [N, H, W, 3] input; the model has {graph.Input.Count}: {string.Join(", ", graph.Input.Select(i => i.Name))}");
        }

        var input = graph.Input[0];
        var tensor = input.Type?.TensorType;
        var dims = tensor?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToArray();
        if (tensor?.ElemType != (int)DataType.Uint8 || dims is not { Length: 4 } || dims[3] is not (3 or -1)
            || dims[1] is var h && h != -1 && h != calibration.Height || dims[2] is var w && w != -1 && w != calibration.Width)
        {
            var type = tensor is null ? "untyped" : ((DataType)tensor.ElemType).ToString();
            throw new ArgumentException(
                $"input '{input.Name}' is {type} [{string.Join(", ", dims ?? [])}]; calibration feeds uint8 [N, {calibration.Height}, {calibration.Width}, 3]");
        }

        return input.Name;
    }

    private static bool Touches(NodeProto node, QdqPlan plan, GraphIndex index, HashSet<string> nonFloat) =>
        QdqPlanner.ActivationInputs(node, plan.Nodes[node]).Append(QdqPlanner.EffectiveOutput(node, index)).Any(nonFloat.Contains);

    // A Relu or constant Clip before the tensor bounds it exactly; cutting the range there lets ONNX Runtime drop it.
    private static QuantParams Parameters(string tensor, TensorRange range, GraphIndex index)
    {
        var (min, max) = (range.Min, range.Max);
        if (QdqPlanner.ActivationBounds(index.Producer(tensor), index) is { } bounds)
        {
            min = Math.Max(min, bounds.Min);
            max = Math.Min(max, bounds.Max);
        }

        return QuantParams.ForRange(min, Math.Max(min, max));
    }

    private static (double MinCosine, double Top1) Agreement(ModelProto reference, ModelProto quantized, string input, CalibrationData calibration, int threads)
    {
        var outputs = reference.Graph.Output.Select(o => o.Name).ToList();
        InferenceSession int8;
        try
        {
            int8 = OrtSessions.Create(quantized, GraphOptimizationLevel.ORT_ENABLE_ALL, threads);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidOperationException($"ONNX Runtime rejects the quantized model: {e.Message}", e);
        }

        using (int8)
        using (var fp32 = OrtSessions.Create(reference, GraphOptimizationLevel.ORT_ENABLE_ALL, threads))
        {
            var worst = 1.0;
            var agreeing = 0;
            foreach (var sample in calibration.Samples)
            {
                using var expected = OrtSessions.Run(fp32, input, sample, calibration.Height, calibration.Width, outputs);
                using var actual = OrtSessions.Run(int8, input, sample, calibration.Height, calibration.Width, outputs);
                for (var i = 0; i < outputs.Count; i++)
                {
                    if (expected[i].GetTensorTypeAndShape().ElementDataType == TensorElementType.Float)
                    {
                        var e = expected[i].GetTensorDataAsSpan<float>();
                        var a = actual[i].GetTensorDataAsSpan<float>();
                        worst = Math.Min(worst, Cosine(e, a));
                        agreeing += i == 0 && ArgMax(e) == ArgMax(a) ? 1 : 0;
                    }
                }
            }

            return (worst, (double)agreeing / calibration.Count);
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }

    internal static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return na == 0 && nb == 0 ? 1 : dot / Math.Sqrt(na * nb);
    }
}
