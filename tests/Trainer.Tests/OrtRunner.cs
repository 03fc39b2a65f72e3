using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using static TorchSharp.torch;

namespace Mic.Trainer.Tests;

/// <summary>Runs a graph in ONNX Runtime: the reference the imported module must agree with.</summary>
internal static class OrtRunner
{
    public static float[] Run(ModelProto model, string input, Tensor value, string? output = null)
    {
        using var session = new InferenceSession(model.ToByteArray());
        using var cpu = value.contiguous();
        using var ortValue = cpu.dtype == ScalarType.Byte
            ? OrtValue.CreateTensorValueFromMemory(cpu.data<byte>().ToArray(), cpu.shape)
            : OrtValue.CreateTensorValueFromMemory(cpu.data<float>().ToArray(), cpu.shape);
        using var runOptions = new RunOptions();
        var name = output ?? session.OutputNames[0];
        using var outputs = session.Run(runOptions, [input], [ortValue], [name]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>max |a − b| / max |b|.</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0, scale = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }

        return worst / Math.Max(scale, 1e-12);
    }
}
