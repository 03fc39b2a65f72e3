using Mic.Quantization.Internal;
using Onnx;

namespace Mic.Quantization.Tests;

/// <summary>
/// One case of ONNX's own backend test suite (Debian <c>libonnx-testdata</c>): the node's model and the inputs and
/// outputs the ONNX reference computed for it.
/// </summary>
internal sealed record ConformanceCase(ModelProto Model, IReadOnlyList<TensorProto> Inputs, IReadOnlyList<TensorProto> Outputs)
{
    public static ConformanceCase Load(string test)
    {
        var directory = Path.Combine(TestAssets.Root, "libonnx-testdata", "usr", "share", "libonnx-testdata", "data", "node", test);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory} is missing: run scripts/test-assets.sh");
        }

        var data = Path.Combine(directory, "test_data_set_0");
        return new ConformanceCase(
            ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx"))),
            Read(data, "input"),
            Read(data, "output"));
    }

    public static float[] Floats(TensorProto tensor) => TensorData.ReadFloats(tensor);

    private static TensorProto[] Read(string directory, string prefix) =>
        [.. Enumerable.Range(0, 16)
            .Select(i => Path.Combine(directory, $"{prefix}_{i}.pb"))
            .TakeWhile(File.Exists)
            .Select(path => TensorProto.Parser.ParseFrom(File.ReadAllBytes(path)))];
}
