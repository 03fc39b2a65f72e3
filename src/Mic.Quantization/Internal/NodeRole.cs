namespace Mic.Quantization.Internal;

/// <summary>What a quantized node becomes in ONNX Runtime once its QDQ pairs are fused.</summary>
internal enum NodeRole
{
    /// <summary>QLinearConv.</summary>
    Conv,

    /// <summary>QGemm.</summary>
    Gemm,

    /// <summary>QLinearMatMul or MatMulIntegerToFloat.</summary>
    MatMul,

    /// <summary>QLinearAdd.</summary>
    Add,

    /// <summary>A uint8 MaxPool (its output keeps its input's quantization).</summary>
    MaxPool,

    /// <summary>QLinearAveragePool or QLinearGlobalAveragePool.</summary>
    AveragePool,
}
