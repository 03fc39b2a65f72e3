using Onnx;

namespace Mic.Quantization.Internal;

/// <summary>
/// Who produces and who reads each tensor of one graph, its initializers and the names in use. A snapshot: rebuild
/// it after changing the graph. A node whose subgraph reads an outer tensor counts as that tensor's consumer.
/// </summary>
internal sealed class GraphIndex
{
    private readonly Dictionary<string, NodeProto> _producers = [];
    private readonly Dictionary<string, List<NodeProto>> _consumers = [];
    private readonly HashSet<string> _outputs;
    private readonly HashSet<string> _names = [];

    public GraphIndex(GraphProto graph)
    {
        Graph = graph;
        Initializers = graph.Initializer.ToDictionary(t => t.Name);
        _outputs = [.. graph.Output.Select(o => o.Name)];
        _names.UnionWith(Initializers.Keys);
        _names.UnionWith(graph.Input.Select(i => i.Name));
        foreach (var node in graph.Node)
        {
            _names.Add(node.Name);
            foreach (var output in node.Output.Where(o => o.Length > 0))
            {
                _producers[output] = node;
                _names.Add(output);
            }

            foreach (var input in node.Input.Where(i => i.Length > 0).Concat(SubgraphReads(node)).Distinct())
            {
                if (!_consumers.TryGetValue(input, out var list))
                {
                    _consumers[input] = list = [];
                }

                list.Add(node);
            }
        }
    }

    public GraphProto Graph { get; }

    public IReadOnlyDictionary<string, TensorProto> Initializers { get; }

    public NodeProto? Producer(string tensor) => _producers.GetValueOrDefault(tensor);

    public IReadOnlyList<NodeProto> Consumers(string tensor) => _consumers.TryGetValue(tensor, out var list) ? list : [];

    public bool IsGraphOutput(string tensor) => _outputs.Contains(tensor);

    public TensorProto? Initializer(string name) => Initializers.GetValueOrDefault(name);

    /// <summary>A name not yet used by any tensor or node of the graph, reserved from now on.</summary>
    public string UniqueName(string stem)
    {
        var name = stem;
        for (var i = 1; !_names.Add(name); i++)
        {
            name = $"{stem}_{i}";
        }

        return name;
    }

    /// <summary>Drops initializers no node, subgraph or graph output reads any more.</summary>
    public static void RemoveUnusedInitializers(GraphProto graph)
    {
        var index = new GraphIndex(graph);
        var unused = graph.Initializer.Where(t => index.Consumers(t.Name).Count == 0 && !index.IsGraphOutput(t.Name)).ToList();
        foreach (var tensor in unused)
        {
            graph.Initializer.Remove(tensor);
        }
    }

    private static IEnumerable<string> SubgraphReads(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
        {
            var graphs = attribute.G is null ? attribute.Graphs : attribute.Graphs.Append(attribute.G);
            foreach (var sub in graphs)
            {
                foreach (var name in sub.Node.SelectMany(n => n.Input.Concat(SubgraphReads(n))))
                {
                    yield return name;
                }
            }
        }
    }
}
