using static TorchSharp.torch;

namespace Mic.Trainer.OnnxToTorch;

/// <summary>
/// One compiled ONNX node: takes its inputs (null where an optional input is absent) and returns its outputs in
/// node order. <paramref name="training"/> selects batch statistics and active dropout.
/// </summary>
internal delegate Tensor[] OnnxKernel(Tensor?[] inputs, bool training);
