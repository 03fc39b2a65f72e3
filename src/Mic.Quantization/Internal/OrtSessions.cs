using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Mic.Quantization.Internal;

/// <summary>ONNX Runtime sessions over in-memory models, fed one calibration sample at a time.</summary>
internal static class OrtSessions
{
    public static InferenceSession Create(ModelProto model, GraphOptimizationLevel level, int threads)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = level,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            IntraOpNumThreads = threads,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(model.ToByteArray(), options);
    }

    /// <summary>Runs one NHWC uint8 sample through <paramref name="session"/>; the caller disposes the outputs.</summary>
    public static IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, string input,
        ReadOnlyMemory<byte> sample, int height, int width, IReadOnlyCollection<string> outputs)
    {
        using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            MemoryMarshal.AsMemory(sample), [1, height, width, 3]);
        using var runOptions = new RunOptions();
        return session.Run(runOptions, [input], [tensor], outputs);
    }
}
