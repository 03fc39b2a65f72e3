using Microsoft.ML.OnnxRuntime;

namespace Quantization.Bench;

/// <summary>One model file as the function would load it, with the session settings it would use.</summary>
internal sealed record Variant(string Name, string Path, bool PrecisionMode = false)
{
    public long Bytes => new FileInfo(Path).Length;

    public InferenceSession Open(int threads)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            IntraOpNumThreads = threads,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (PrecisionMode)
        {
            // U8U8 kernels: no 16-bit saturation on CPUs without VNNI, at some speed.
            options.AddSessionConfigEntry("session.x64quantprecision", "1");
        }

        return new InferenceSession(Path, options);
    }
}
