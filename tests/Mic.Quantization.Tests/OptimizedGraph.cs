using Onnx;

namespace Mic.Quantization.Tests;

/// <summary>The graph ONNX Runtime actually runs, as it writes it with <c>SessionOptions.OptimizedModelFilePath</c>.</summary>
internal static class OptimizedGraph
{
    public static ModelProto Read(string path) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

    public static ModelProto Of(ModelProto model)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("optimized.onnx");
        using (Ort.Session(model, path))
        {
        }

        return Read(path);
    }

    public static int Count(this ModelProto model, string op) => model.Graph.Node.Count(n => n.OpType == op);
}
