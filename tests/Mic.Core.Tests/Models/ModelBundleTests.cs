using System.Text;
using System.Text.Json;
using Mic.Core.Models;

namespace Mic.Core.Tests.Models;

public sealed class ModelBundleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_ValidBundle_ReadsManifest()
    {
        TestBundles.Color(_temp.Path, "2026-11-28.1");

        var bundle = ModelBundle.Load(_temp.Path);

        Assert.Equal("2026-11-28.1", bundle.Manifest.Version);
        Assert.Equal(TestModels.ColorLabels, bundle.Manifest.Labels);
        Assert.Equal(ResizePolicy.ShorterSideThenCenterCrop, bundle.Manifest.Input.Resize);
        Assert.Equal(Path.Combine(_temp.Path, "model.onnx"), bundle.ModelPath);
    }

    [Fact]
    public void Manifest_Serialized_UsesDesignFieldNames()
    {
        var bundle = TestBundles.Color(_temp.Path);

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp.Path, "manifest.json")));
        var root = json.RootElement;

        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("shorter-side-then-center-crop", root.GetProperty("input").GetProperty("resize").GetString());
        Assert.Equal(bundle.Manifest.Model.Sha256, root.GetProperty("model").GetProperty("sha256").GetString());
        Assert.Equal(new FileInfo(bundle.ModelPath).Length, root.GetProperty("model").GetProperty("bytes").GetInt64());
    }

    [Fact]
    public void Load_MissingManifest_NamesTheFile()
    {
        var e = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(_temp.Path));

        Assert.Contains("manifest.json: missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidJson_SaysSo()
    {
        File.WriteAllText(Path.Combine(_temp.Path, "manifest.json"), "{ \"version\": ");

        var e = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(_temp.Path));

        Assert.Contains("invalid manifest JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelChangedAfterPublishing_IsShaMismatch()
    {
        var bundle = TestBundles.Color(_temp.Path);
        File.AppendAllText(bundle.ModelPath, "tampered");

        var e = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(_temp.Path));

        Assert.Contains("sha256 mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LatestPointsAtOtherHash_IsShaMismatch()
    {
        TestBundles.Color(_temp.Path);

        var e = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(_temp.Path, new string('a', 64)));

        Assert.Contains("latest.json says", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ModelFileMissing_NamesIt()
    {
        var bundle = TestBundles.Color(_temp.Path);
        File.Delete(bundle.ModelPath);

        var e = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(_temp.Path));

        Assert.Contains("model.onnx: model file named by the manifest is missing", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"schemaVersion\": 1", "\"schemaVersion\": 9", "schemaVersion 9 is not supported")]
    [InlineData("\"resize\": \"shorter-side-then-center-crop\"", "\"resize\": \"fill\"", "unknown input.resize 'fill'")]
    [InlineData("\"file\": \"model.onnx\"", "\"file\": \"../model.onnx\"", "model.file must be a plain file name")]
    [InlineData("\"green\"", "\"red\"", "labels must be non-empty and unique")]
    [InlineData("\"width\": 32", "\"width\": 0", "input.width and input.height")]
    [InlineData("\"version\": \"v1\"", "\"version\": \"v1/../../etc\"", "version 'v1/../../etc' must be non-empty")]
    public void ParseManifest_InvalidField_NamesTheProblem(string from, string to, string expected)
    {
        TestBundles.Color(_temp.Path);
        var json = File.ReadAllText(Path.Combine(_temp.Path, "manifest.json"));
        Assert.Contains(from, json, StringComparison.Ordinal);

        var e = Assert.Throws<ModelBundleException>(() =>
            ModelBundle.ParseManifest(Encoding.UTF8.GetBytes(json.Replace(from, to, StringComparison.Ordinal)), "m.json"));

        Assert.StartsWith("m.json: invalid manifest", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
