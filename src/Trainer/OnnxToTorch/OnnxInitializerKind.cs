namespace Mic.Trainer.OnnxToTorch;

/// <summary>What an ONNX initializer becomes inside <see cref="OnnxGraphModule"/>.</summary>
public enum OnnxInitializerKind
{
    /// <summary>A trainable weight (Conv/Gemm/MatMul weights and biases, BatchNormalization scale and bias).</summary>
    Parameter,

    /// <summary>BatchNormalization's running mean or variance: updated in training, written back on export.</summary>
    RunningStatistic,

    /// <summary>Anything else (shapes, normalisation constants): never changed, exported as it was.</summary>
    Constant,
}
