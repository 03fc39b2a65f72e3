using Microsoft.ML.OnnxRuntime;

namespace Mic.Core.Inference;

/// <summary>How an <see cref="OnnxClassifier"/> runs its ONNX Runtime session.</summary>
public sealed record ClassifierOptions
{
    /// <summary>Intra-op threads; 0 lets ONNX Runtime use one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    public GraphOptimizationLevel GraphOptimization { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Spin-waiting intra-op threads steal the core the decoder needs on small machines (25-50% end to end on
    /// 2 cores, measured with the function's load test), so it is off unless asked for.
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>When set, ONNX Runtime writes its optimized graph here (to check which kernels it fused).</summary>
    public string? OptimizedModelPath { get; init; }

    public static ClassifierOptions Default { get; } = new();
}
