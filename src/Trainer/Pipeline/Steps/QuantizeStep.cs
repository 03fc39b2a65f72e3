using Mic.Core.Models;
using Mic.Quantization;

namespace Mic.Trainer.Pipeline.Steps;

/// <summary>
/// Quantize: the fp32 draft's in-memory model → static int8 QDQ (<see cref="QdqQuantizer"/>), calibrated on training
/// images spread evenly over the split, as the new candidate (with the fp32 report). Evaluate it next.
/// </summary>
internal sealed class QuantizeStep : IPipelineStep
{
    public string Name => "quantize";

    public Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var fp32 = run.RequireFp32(Name);
        var options = run.Request.Packaging;
        var training = run.RequireDataset(Name).Train;
        var input = fp32.Manifest.Input;
        var calibration = new CalibrationData(input.Height, input.Width,
            EvenlySpaced(training.Count, options.CalibrationImages).Select(i => (ReadOnlyMemory<byte>)training.Sample(i)));
        var quantized = QdqQuantizer.Quantize(fp32.Model, calibration, new QuantizationOptions { Method = options.Method });
        cancellationToken.ThrowIfCancellationRequested();
        run.Quantization = quantized.Report;
        run.Candidate = new BundleDraft(quantized.Model, fp32.Manifest with
        {
            Model = BundleDraft.Pending("int8"),
            Metrics = null,
            Quantization = new QuantizationInfo($"static QDQ int8 ({quantized.Report.Method})", calibration.Count),
        })
        { ReportHtml = fp32.ReportHtml };
        return Task.FromResult(StepResult.Next);
    }

    /// <summary><paramref name="count"/> indices spread evenly over <paramref name="total"/> (every class shows up).</summary>
    internal static IEnumerable<int> EvenlySpaced(int total, int count)
    {
        var n = Math.Min(total, count);
        return Enumerable.Range(0, n).Select(i => (int)((long)i * total / n));
    }
}
