namespace Mic.TestSupport;

public static partial class TestAssets
{
    /// <summary>ONNX's backend test cases (Debian <c>libonnx-testdata</c>): one folder per case, e.g. <c>test_conv_with_strides_padding</c>.</summary>
    public static string OnnxNodeTests { get; } =
        Path.Combine(Root, "libonnx-testdata", "usr", "share", "libonnx-testdata", "data", "node");

    /// <summary>Fashion-MNIST's gzipped IDX files (Debian <c>dataset-fashion-mnist</c>).</summary>
    public static string FashionMnist { get; } =
        Path.Combine(Root, "dataset-fashion-mnist", "usr", "share", "datasets", "fashion-mnist");

    public static string OnnxNodeTest(string name)
    {
        var path = Path.Combine(OnnxNodeTests, name);
        return Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException($"ONNX backend test case {path} is missing: run scripts/test-assets.sh");
    }
}
