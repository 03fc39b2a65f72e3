using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Mic.Quantization.Tests;

/// <summary>Runs in-memory models through ONNX Runtime for tests (one input, one output, batch of one).</summary>
internal static class Ort
{
    public static float[] Run(ModelProto model, string input, float[] data, long[] shape, string output)
    {
        using var session = new InferenceSession(model.ToByteArray());
        using var tensor = OrtValue.CreateTensorValueFromMemory(data, shape);
        return Run(session, input, tensor, output);
    }

    public static float[] RunPixels(InferenceSession session, byte[] pixels, int size, string output)
    {
        using var tensor = OrtValue.CreateTensorValueFromMemory(pixels, [1, size, size, 3]);
        return Run(session, "pixels", tensor, output);
    }

    public static InferenceSession Session(ModelProto model, string? optimizedPath = null)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (optimizedPath is not null)
        {
            options.OptimizedModelFilePath = optimizedPath;
        }

        return new InferenceSession(model.ToByteArray(), options);
    }

    /// <summary>max |a − b| over max |a|: the error relative to the output's scale.</summary>
    public static double RelativeError(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        return expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / scale;
    }

    public static double Cosine(float[] a, float[] b) => QdqQuantizer.Cosine(a, b);

    private static float[] Run(InferenceSession session, string input, OrtValue tensor, string output)
    {
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [input], [tensor], [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
