using System.IO.Compression;
using System.Text.Json;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// The CloudFormation resource specification shipped in npm <c>@aws-cdk/aws-service-spec</c> (<c>db.json.gz</c>):
/// every resource type, the <c>AWS::Serverless::*</c> types included, with its properties, their types and which are
/// required. A property type is <c>{"type": "string" | "number" | "integer" | "boolean" | "json" | "date-time" |
/// "tag" | "array" | "map" | "ref" | "union", ...}</c>; a <c>ref</c> names a type definition by <c>$id</c>.
/// </summary>
public sealed class ResourceSpecification
{
    private readonly Dictionary<string, JsonElement> _resources;
    private readonly Dictionary<string, JsonElement> _types;

    private ResourceSpecification(Dictionary<string, JsonElement> resources, Dictionary<string, JsonElement> types)
    {
        _resources = resources;
        _types = types;
    }

    public static string DefaultPath => Path.Combine(TestAssets.RepositoryRoot, "node_modules", "@aws-cdk", "aws-service-spec", "db.json.gz");

    public static ResourceSpecification Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: run `npm ci` in {TestAssets.RepositoryRoot} (installs @aws-cdk/aws-service-spec)", path);
        }

        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        var schema = document.RootElement.GetProperty("schema");
        return new ResourceSpecification(
            schema.GetProperty("resource").GetProperty("entities").EnumerateArray()
                .ToDictionary(r => r.GetProperty("cloudFormationType").GetString()!, r => r.GetProperty("properties").Clone()),
            schema.GetProperty("typeDefinition").GetProperty("entities").EnumerateArray()
                .ToDictionary(t => t.GetProperty("$id").GetString()!, t => t.Clone()));
    }

    /// <summary>The properties of a resource type (name → <c>{type, required}</c>), or false for an unknown type.</summary>
    public bool TryGetResource(string type, out JsonElement properties) => _resources.TryGetValue(type, out properties);

    /// <summary>A type definition: <c>{"name", "properties": {name → {type, required}}}</c>.</summary>
    public JsonElement TypeDefinition(string id) => _types[id];
}
