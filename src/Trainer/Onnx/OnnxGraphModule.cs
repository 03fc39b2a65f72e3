using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mic.Trainer.Onnx;

/// <summary>
/// An ONNX graph imported as a trainable TorchSharp module: each float initializer that is a weight becomes a
/// <see cref="Parameter"/>, BatchNormalization statistics become buffers, and each node runs as TorchSharp ops
/// (<see cref="OnnxOps"/>). <see cref="Export"/> writes the current weights back into the same graph, so the exported
/// model is the trained one by construction. Not thread-safe; tensors it returns belong to the caller's dispose scope.
/// </summary>
public sealed class OnnxGraphModule : nn.Module<Tensor, Tensor>
{
    private readonly ModelProto _model;
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly List<CompiledNode> _nodes = [];
    private readonly List<OnnxInitializer> _initializers = [];
    private readonly int[] _initializerSlots;
    private Tensor[] _initializerValues = [];

    private OnnxGraphModule(ModelProto model, bool channelsLast) : base("onnx_graph")
    {
        _model = model;
        var graph = model.Graph;
        var opset = (int)(model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 1);
        Opset = opset;
        var initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Inputs = graph.Input.Select(i => i.Name).Where(n => !initializerNames.Contains(n)).ToArray();
        Outputs = graph.Output.Select(o => o.Name).ToArray();

        foreach (var name in Inputs)
        {
            Slot(name);
        }

        var uses = FirstUses(graph);
        var moduleNames = new HashSet<string>(StringComparer.Ordinal);
        var initializerSlots = new List<int>();
        foreach (var proto in graph.Initializer)
        {
            var (kind, first, op) = Classify(proto, uses);
            var moduleName = UniqueName(proto.Name, moduleNames);
            var value = OnnxTensors.ToTorch(proto);
            if (kind == OnnxInitializerKind.Parameter)
            {
                if (channelsLast && op == "Conv" && value.dim() == 4)
                {
                    value = ChannelsLast(value);
                }

                register_parameter(moduleName, new Parameter(value, requires_grad: true));
            }
            else
            {
                register_buffer(moduleName, value);
            }

            _initializers.Add(new OnnxInitializer(proto.Name, moduleName, kind, first, op));
            initializerSlots.Add(Slot(proto.Name));
        }

        _initializerSlots = [.. initializerSlots];
        var consumers = graph.Node.SelectMany(n => n.Input).Where(i => i.Length > 0)
            .GroupBy(i => i, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, n.OpType)))
            .Where(p => p.Output.Length > 0).ToDictionary(p => p.Output, p => p.OpType, StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (node.Domain is not ("" or "ai.onnx"))
            {
                throw new UnsupportedOnnxOpException($"ONNX op '{node.Domain}.{node.OpType}' (node '{node.Name}') is not supported: only the default ONNX domain is");
            }

            // In place only on a value this node alone reads, that is no graph output, and whose producer's backward
            // does not need it (Conv, BatchNormalization, Add, Gemm keep what they need themselves).
            var first = node.Input.Count > 0 ? node.Input[0] : "";
            var overwrite = first.Length > 0 && consumers.GetValueOrDefault(first) == 1 && !Outputs.Contains(first)
                && producers.TryGetValue(first, out var producer) && producer is "Conv" or "BatchNormalization" or "Add" or "Gemm";
            var kernel = OnnxOps.Compile(node, opset, overwrite);
            var inputs = node.Input.Select(i => i.Length == 0 ? -1 : Lookup(i, node)).ToArray();
            var outputs = node.Output.Select(o => o.Length == 0 ? -1 : Slot(o)).ToArray();
            _nodes.Add(new CompiledNode(node.Name, kernel, inputs, outputs));
        }

        foreach (var output in Outputs)
        {
            Lookup(output, null);
        }

        RefreshInitializerValues();
    }

    public int Opset { get; }

    /// <summary>Graph inputs that are not initializers, in graph order.</summary>
    public IReadOnlyList<string> Inputs { get; }

    public IReadOnlyList<string> Outputs { get; }

    public IReadOnlyList<OnnxInitializer> Initializers => _initializers;

    /// <summary>The graph this module was imported from (not modified; see <see cref="Export"/>).</summary>
    public ModelProto Source => _model;

    /// <summary>
    /// Imports <paramref name="model"/>; unsupported ops and data types fail here, naming the op. With
    /// <paramref name="channelsLast"/> 4-D conv weights get channels_last strides (faster oneDNN training on CPU).
    /// </summary>
    public static OnnxGraphModule Import(ModelProto model, bool channelsLast = false) => new(model, channelsLast);

    /// <summary>
    /// A convolution weight [out, in, kH, kW] with channels_last strides (same shape and values): channels_last
    /// strides let oneDNN skip a reorder per conv per step.
    /// </summary>
    public static Tensor ChannelsLast(Tensor convWeight) => convWeight.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>Runs the graph on its single input and returns its first output.</summary>
    public override Tensor forward(Tensor input) => Run(input, Outputs[0]);

    /// <summary>Runs the graph on its single input and returns the value named <paramref name="output"/>.</summary>
    public Tensor Run(Tensor input, string output) =>
        Run(new Dictionary<string, Tensor> { [Inputs[0]] = input }, [output])[output];

    /// <summary>Runs the graph and returns the named values (graph outputs or any intermediate value).</summary>
    public Dictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> feeds, IReadOnlyList<string> outputs)
    {
        var values = new Tensor?[_slots.Count];
        for (var i = 0; i < _initializerSlots.Length; i++)
        {
            values[_initializerSlots[i]] = _initializerValues[i];
        }

        foreach (var (name, value) in feeds)
        {
            values[_slots.TryGetValue(name, out var slot) ? slot : throw new ArgumentException($"the graph has no input '{name}'", nameof(feeds))] = value;
        }

        foreach (var node in _nodes)
        {
            var inputs = new Tensor?[node.Inputs.Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = node.Inputs[i] < 0 ? null : values[node.Inputs[i]]
                    ?? throw new InvalidOperationException($"node '{node.Name}': input {i} has no value (missing feed?)");
            }

            var results = node.Kernel(inputs, training);
            for (var i = 0; i < node.Outputs.Length && i < results.Length; i++)
            {
                if (node.Outputs[i] >= 0)
                {
                    values[node.Outputs[i]] = results[i];
                }
            }
        }

        return outputs.ToDictionary(o => o, o => values[_slots.TryGetValue(o, out var slot) ? slot : throw new ArgumentException($"the graph has no value '{o}'", nameof(outputs))]
            ?? throw new InvalidOperationException($"value '{o}' was not computed"));
    }

    /// <summary>Moves every parameter and buffer to <paramref name="device"/> (keeping channels_last strides).</summary>
    public OnnxGraphModule MoveTo(Device device)
    {
        this.to(device);
        RefreshInitializerValues();
        return this;
    }

    public Parameter Parameter(OnnxInitializer initializer) =>
        get_parameter(initializer.ModuleName) ?? throw new ArgumentException($"'{initializer.OnnxName}' is not a parameter", nameof(initializer));

    /// <summary>Detached CPU copies of every parameter and running statistic, keyed by ONNX name (a checkpoint).</summary>
    public Dictionary<string, Tensor> Snapshot()
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < _initializers.Count; i++)
        {
            if (_initializers[i].Kind != OnnxInitializerKind.Constant)
            {
                result[_initializers[i].OnnxName] = _initializerValues[i].detach().cpu().clone().DetachFromDisposeScope();
            }
        }

        return result;
    }

    /// <summary>Copies a <see cref="Snapshot"/> back into the module's parameters and statistics.</summary>
    public void Restore(IReadOnlyDictionary<string, Tensor> snapshot)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < _initializers.Count; i++)
        {
            if (snapshot.TryGetValue(_initializers[i].OnnxName, out var value))
            {
                _initializerValues[i].copy_(value);
            }
        }
    }

    /// <summary>
    /// The source graph with every parameter and running statistic replaced by its current value (or by
    /// <paramref name="snapshot"/>'s); nodes, names and constants are unchanged.
    /// </summary>
    public ModelProto Export(IReadOnlyDictionary<string, Tensor>? snapshot = null)
    {
        var model = _model.Clone();
        var initializers = model.Graph.Initializer;
        for (var i = 0; i < _initializers.Count; i++)
        {
            var info = _initializers[i];
            if (info.Kind == OnnxInitializerKind.Constant)
            {
                continue;
            }

            var index = IndexOf(initializers, info.OnnxName);
            var value = snapshot is not null && snapshot.TryGetValue(info.OnnxName, out var saved) ? saved : _initializerValues[i];
            initializers[index] = OnnxTensors.FromTorch(info.OnnxName, value);
        }

        return model;
    }

    private static int IndexOf(IList<TensorProto> list, string name)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Name == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"initializer '{name}' vanished");
    }

    private void RefreshInitializerValues()
    {
        var parameters = named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        var buffers = named_buffers().ToDictionary(b => b.name, b => b.buffer, StringComparer.Ordinal);
        _initializerValues = _initializers
            .Select(i => i.Kind == OnnxInitializerKind.Parameter ? parameters[i.ModuleName] : buffers[i.ModuleName])
            .ToArray();
    }

    private int Slot(string name)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            slot = _slots.Count;
            _slots[name] = slot;
        }

        return slot;
    }

    private int Lookup(string name, NodeProto? node) =>
        _slots.TryGetValue(name, out var slot)
            ? slot
            : throw new InvalidDataException(node is null
                ? $"graph output '{name}' is produced by no node"
                : $"node '{node.Name}' ({node.OpType}) reads '{name}', which no earlier node, input or initializer produces");

    private static Dictionary<string, (int Node, string Op, int Input)> FirstUses(GraphProto graph)
    {
        var uses = new Dictionary<string, (int, string, int)>(StringComparer.Ordinal);
        for (var n = 0; n < graph.Node.Count; n++)
        {
            var node = graph.Node[n];
            for (var i = 0; i < node.Input.Count; i++)
            {
                uses.TryAdd(node.Input[i], (n, node.OpType, i));
            }
        }

        return uses;
    }

    private static (OnnxInitializerKind Kind, int FirstUse, string Op) Classify(TensorProto proto,
        Dictionary<string, (int Node, string Op, int Input)> uses)
    {
        if (!uses.TryGetValue(proto.Name, out var use))
        {
            return (OnnxInitializerKind.Constant, int.MaxValue, "");
        }

        var isFloat = proto.DataType == (int)TensorProto.Types.DataType.Float;
        var kind = (use.Op, use.Input) switch
        {
            ("BatchNormalization", 3 or 4) => OnnxInitializerKind.RunningStatistic,
            ("Conv", 1 or 2) or ("Gemm", 1 or 2) or ("MatMul", 1) or ("BatchNormalization", 1 or 2) when isFloat => OnnxInitializerKind.Parameter,
            _ => OnnxInitializerKind.Constant,
        };
        return (kind, use.Node, use.Op);
    }

    private static string UniqueName(string onnxName, HashSet<string> taken)
    {
        var baseName = new string(onnxName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var name = baseName.Length == 0 ? "t" : baseName;
        for (var i = 1; !taken.Add(name); i++)
        {
            name = $"{baseName}_{i}";
        }

        return name;
    }

    private sealed record CompiledNode(string Name, OnnxKernel Kernel, int[] Inputs, int[] Outputs);
}
