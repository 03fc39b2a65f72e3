namespace Mic.Quantization;

/// <summary>
/// What <see cref="QdqQuantizer.Quantize"/> did. Node counts are of nodes that now run on int8 inputs and weights;
/// <see cref="LeftInFloat"/> names each candidate left in float and why. <see cref="MinOutputCosine"/> is the lowest
/// cosine similarity between the fp32 and the int8 model's float outputs over the calibration samples (1 = identical)
/// and <see cref="Top1Agreement"/> the share of those samples whose highest-scoring class (argmax of the first output)
/// is the same in both: a quantization that went wrong shows here, not only in production. Both are measured with
/// ONNX Runtime's default CPU kernels on the machine that quantized.
/// </summary>
public sealed record QuantizationReport
{
    public required CalibrationMethod Method { get; init; }
    public required int CalibrationImages { get; init; }
    /// <summary>The default-domain opset the input model had (it is upgraded to 13 when older).</summary>
    public required long SourceOpset { get; init; }
    public required int FoldedBatchNorms { get; init; }
    public required int QuantizedConv { get; init; }
    /// <summary>Gemm and MatMul nodes with int8 weights.</summary>
    public required int QuantizedGemm { get; init; }
    public required int QuantizedAdd { get; init; }
    /// <summary>MaxPool, AveragePool and GlobalAveragePool nodes between quantized tensors.</summary>
    public required int QuantizedPool { get; init; }
    /// <summary>Activation tensors that carry a QuantizeLinear/DequantizeLinear pair.</summary>
    public required int QuantizedActivations { get; init; }
    public required IReadOnlyList<string> LeftInFloat { get; init; }
    public required double MinOutputCosine { get; init; }
    public required double Top1Agreement { get; init; }
}
