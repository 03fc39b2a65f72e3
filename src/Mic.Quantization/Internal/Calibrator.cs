using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace Mic.Quantization.Internal;

/// <summary>
/// Runs the fp32 model over the calibration samples with the tensors to quantize exposed as extra outputs, and
/// picks a range for each: min/max in one pass, or a histogram over that min/max in a second pass.
/// </summary>
internal sealed class Calibrator(ModelProto model, string input, CalibrationData data, QuantizationOptions options)
{
    /// <summary>Ranges of the float tensors among <paramref name="tensors"/>; the others are in <c>NonFloat</c>.</summary>
    public (Dictionary<string, TensorRange> Ranges, HashSet<string> NonFloat) Collect(IReadOnlyCollection<string> tensors)
    {
        var probe = model.Clone();
        var outputs = probe.Graph.Output.Select(o => o.Name).ToHashSet();
        foreach (var name in tensors.Where(t => !outputs.Contains(t)))
        {
            probe.Graph.Output.Add(new ValueInfoProto { Name = name });
        }

        using var session = OrtSessions.Create(probe, GraphOptimizationLevel.ORT_ENABLE_BASIC, options.IntraOpThreads);
        var names = tensors.ToList();
        var minMax = names.ToDictionary(n => n, _ => (Min: float.PositiveInfinity, Max: float.NegativeInfinity));
        var nonFloat = new HashSet<string>();
        ForEachOutput(session, names, (name, values) =>
        {
            var (min, max) = minMax[name];
            foreach (var v in values)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            minMax[name] = (min, max);
        }, nonFloat);

        var floats = names.Where(n => !nonFloat.Contains(n)).ToList();
        if (options.Method == CalibrationMethod.MinMax)
        {
            return (floats.ToDictionary(n => n, n => new TensorRange(minMax[n].Min, minMax[n].Max)), nonFloat);
        }

        var histograms = floats.ToDictionary(n => n, n => NewHistogram(minMax[n].Min, minMax[n].Max));
        ForEachOutput(session, floats, (name, values) => histograms[name].Add(values), nonFloat);
        return (floats.ToDictionary(n => n, n => Estimate(histograms[n], minMax[n].Min, minMax[n].Max)), nonFloat);
    }

    private Histogram NewHistogram(float min, float max) => options.Method == CalibrationMethod.Entropy
        ? new Histogram(0, Math.Max(Math.Abs(min), Math.Abs(max)), options.HistogramBins, absolute: true)
        : new Histogram(min, max, options.HistogramBins, absolute: false);

    private TensorRange Estimate(Histogram histogram, float min, float max)
    {
        if (options.Method == CalibrationMethod.Percentile)
        {
            var tail = 1 - (options.Percentile / 100);
            var low = min >= 0 ? min : histogram.Quantile(tail);
            return new TensorRange(low, histogram.Quantile(1 - tail));
        }

        // The histogram is of |x|: a non-negative tensor gets all 256 uint8 levels above zero, a signed one about
        // half on each side, and the threshold bounds its magnitude on both.
        var threshold = histogram.EntropyThreshold(levels: min >= 0 ? 256 : 128);
        return new TensorRange(Math.Max(min, -threshold), Math.Min(max, threshold));
    }

    private void ForEachOutput(InferenceSession session, List<string> names, Action<string, ReadOnlySpan<float>> visit,
        HashSet<string> nonFloat)
    {
        foreach (var sample in data.Samples)
        {
            using var results = OrtSessions.Run(session, input, sample, data.Height, data.Width, names);
            for (var i = 0; i < names.Count; i++)
            {
                if (results[i].GetTensorTypeAndShape().ElementDataType != TensorElementType.Float)
                {
                    nonFloat.Add(names[i]);
                    continue;
                }

                visit(names[i], results[i].GetTensorDataAsSpan<float>());
            }
        }
    }
}
