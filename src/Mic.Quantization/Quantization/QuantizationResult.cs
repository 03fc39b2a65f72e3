using Onnx;

namespace Mic.Quantization;

/// <summary>The int8 QDQ model (same inputs and outputs as the fp32 one) and what was done to it.</summary>
public sealed record QuantizationResult(ModelProto Model, QuantizationReport Report);
