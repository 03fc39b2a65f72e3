namespace Mic.Quantization.Internal;

/// <summary>The range chosen for one activation tensor, before it is widened to include zero.</summary>
internal readonly record struct TensorRange(float Min, float Max);
