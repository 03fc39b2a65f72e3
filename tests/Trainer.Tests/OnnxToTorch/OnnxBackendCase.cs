using Mic.Trainer.OnnxToTorch;
using Onnx;
using static TorchSharp.torch;

namespace Mic.Trainer.Tests.OnnxToTorch;

/// <summary>One ONNX backend test case: <c>model.onnx</c> plus <c>test_data_set_0/{input,output}_N.pb</c>.</summary>
internal sealed class OnnxBackendCase
{
    private OnnxBackendCase(string name, ModelProto model, TensorProto[] inputs, TensorProto[] outputs)
    {
        Name = name;
        Model = model;
        Inputs = inputs;
        Outputs = outputs;
    }

    public string Name { get; }

    public ModelProto Model { get; }

    public TensorProto[] Inputs { get; }

    public TensorProto[] Outputs { get; }

    public IEnumerable<string> Ops => Model.Graph.Node.Select(n => n.OpType).Distinct();

    public static OnnxBackendCase Load(string name)
    {
        var directory = TestAssets.OnnxNodeTest(name);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
        var data = Path.Combine(directory, "test_data_set_0");
        TensorProto[] Read(string prefix) => Directory.GetFiles(data, prefix + "_*.pb")
            .OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f)[(prefix.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => TensorProto.Parser.ParseFrom(File.ReadAllBytes(f)))
            .ToArray();
        return new OnnxBackendCase(name, model, Read("input"), Read("output"));
    }

    /// <summary>Names of every case whose nodes all use ops the importer claims to support.</summary>
    public static IEnumerable<string> SupportedCaseNames() =>
        Directory.GetDirectories(TestAssets.OnnxNodeTests)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => File.Exists(Path.Combine(TestAssets.OnnxNodeTests, name, "model.onnx")))
            .Where(name =>
            {
                var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(TestAssets.OnnxNodeTests, name, "model.onnx")));
                return model.Graph.Node.All(n => n.Domain is "" or "ai.onnx" && OnnxOps.Supported.Contains(n.OpType));
            })
            .Order(StringComparer.Ordinal);

    /// <summary>Runs the case through the importer; returns (expected, actual) per graph output.</summary>
    public IReadOnlyList<(string Name, Tensor Expected, Tensor Actual)> Run()
    {
        using var module = OnnxGraphModule.Import(Model);
        module.eval();
        var feeds = new Dictionary<string, Tensor>();
        for (var i = 0; i < module.Inputs.Count; i++)
        {
            feeds[module.Inputs[i]] = OnnxTensors.ToTorch(Inputs[i]);
        }

        var actual = module.Run(feeds, module.Outputs.ToArray());
        return module.Outputs.Select((name, i) => (name, OnnxTensors.ToTorch(Outputs[i]), actual[name])).ToArray();
    }
}
