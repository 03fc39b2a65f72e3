using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// A translated (SAM-free) template with its parameters fixed, read the way CloudFormation would resolve it:
/// <c>Ref</c> to parameters and pseudo parameters, <c>Fn::If</c> on the template's conditions (with
/// <c>AWS::NoValue</c> dropping the key or item), <c>Fn::Sub</c>, <c>Fn::Join</c>, <c>Fn::Split</c>, <c>Fn::Equals</c>,
/// <c>Fn::Not</c>, <c>Fn::And</c>, <c>Fn::Or</c>. A bucket's <c>Ref</c> and <c>Arn</c> resolve to its name and ARN; other
/// resources' values stay placeholders (<c>{Api}</c>, <c>{Queue.Arn}</c>), as they exist only once deployed.
/// </summary>
public sealed partial class ResolvedTemplate
{
    public const string AccountId = "123456789012";
    public const string Region = "us-east-1";

    /// <summary>The images bucket's name with the default <c>BucketNamePrefix</c>.</summary>
    public const string DefaultBucket = "mic-images-" + AccountId + "-" + Region;

    private static readonly JsonNode NoValue = JsonValue.Create("\u0000NoValue")!;

    private readonly JsonObject _template;
    private readonly Dictionary<string, JsonNode?> _parameters = new(StringComparer.Ordinal);

    public ResolvedTemplate(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters)
    {
        _template = template;
        foreach (var (name, definition) in template["Parameters"]?.AsObject() ?? [])
        {
            _parameters[name] = parameters.TryGetValue(name, out var value) ? value?.DeepClone() : Default(definition!.AsObject());
        }

        _parameters["AWS::AccountId"] = AccountId;
        _parameters["AWS::Region"] = Region;
        _parameters["AWS::Partition"] = "aws";
        _parameters["AWS::URLSuffix"] = "amazonaws.com";
        _parameters["AWS::StackName"] = "mic";
        Resources = (JsonObject)Resolve(template["Resources"])!;
        Outputs = (JsonObject?)Resolve(template["Outputs"]) ?? [];
    }

    public JsonObject Resources { get; }

    public JsonObject Outputs { get; }

    /// <summary>The names and bodies of every resource of <paramref name="type"/>.</summary>
    public IEnumerable<(string Name, JsonObject Resource)> OfType(string type) =>
        Resources.Where(r => r.Value?["Type"]?.GetValue<string>() == type).Select(r => (r.Key, r.Value!.AsObject()));

    public JsonObject Properties(string resource) =>
        Resources[resource]?["Properties"]?.AsObject() ?? throw new KeyNotFoundException($"no resource {resource} with properties");

    public string Output(string name) => Outputs[name]?["Value"]?.GetValue<string>() ?? throw new KeyNotFoundException($"no output {name}");

    public bool Condition(string name) => IsTrue(Resolve(_template["Conditions"]?[name] ?? throw new KeyNotFoundException($"no condition {name}")));

    private static JsonNode? Default(JsonObject definition)
    {
        var value = definition["Default"]?.DeepClone();
        return definition["Type"]?.GetValue<string>() == "CommaDelimitedList" && value is JsonValue text
            ? new JsonArray([.. text.GetValue<string>().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => (JsonNode)s)])
            : value;
    }

    private JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } function when function.First().Key is var key && (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal)):
                return Function(key, function[key]);
            case JsonObject map:
                var resolved = new JsonObject();
                foreach (var (key, value) in map)
                {
                    var item = Resolve(value);
                    if (!ReferenceEquals(item, NoValue))
                    {
                        resolved[key] = item;
                    }
                }

                return resolved;
            case JsonArray list:
                return new JsonArray([.. list.Select(Resolve).Where(item => !ReferenceEquals(item, NoValue))]);
            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? Function(string name, JsonNode? argument)
    {
        switch (name)
        {
            case "Ref":
                var target = argument!.GetValue<string>();
                if (target == "AWS::NoValue")
                {
                    return NoValue;
                }

                return _parameters.TryGetValue(target, out var parameter) ? parameter?.DeepClone() : ResourceValue(target, null);
            case "Fn::GetAtt":
                var parts = argument is JsonArray pair ? [pair[0]!.GetValue<string>(), pair[1]!.GetValue<string>()] : argument!.GetValue<string>().Split('.', 2);
                return ResourceValue(parts[0], parts[1]);
            case "Fn::If":
                var branches = argument!.AsArray();
                return Resolve(Condition(branches[0]!.GetValue<string>()) ? branches[1] : branches[2]);
            case "Fn::Equals":
                var sides = argument!.AsArray();
                return JsonNode.DeepEquals(Resolve(sides[0]), Resolve(sides[1]));
            case "Fn::Not":
                return !IsTrue(Resolve(argument!.AsArray()[0]));
            case "Fn::And":
                return argument!.AsArray().All(c => IsTrue(Resolve(c)));
            case "Fn::Or":
                return argument!.AsArray().Any(c => IsTrue(Resolve(c)));
            case "Fn::Join":
                var join = argument!.AsArray();
                return string.Join(join[0]!.GetValue<string>(), Resolve(join[1])!.AsArray().Select(Text));
            case "Fn::Split":
                var split = argument!.AsArray();
                return new JsonArray([.. Text(Resolve(split[1])).Split(split[0]!.GetValue<string>()).Select(s => (JsonNode)s)]);
            case "Fn::Sub":
                var (text, variables) = argument is JsonArray withVariables
                    ? (withVariables[0]!.GetValue<string>(), withVariables[1]!.AsObject())
                    : (argument!.GetValue<string>(), []);
                return SubVariable().Replace(text, match =>
                {
                    var variable = match.Groups[1].Value;
                    return variables.TryGetPropertyValue(variable, out var local) ? Text(Resolve(local))
                        : variable.Contains('.', StringComparison.Ordinal) ? Text(Function("Fn::GetAtt", variable))
                        : Text(Function("Ref", variable));
                });
            case "Condition":
                return Condition(argument!.GetValue<string>());
            default:
                throw new NotSupportedException($"{name} is not resolved by this reader");
        }
    }

    private JsonNode ResourceValue(string resource, string? attribute)
    {
        var definition = _template["Resources"]?[resource];
        if (definition?["Type"]?.GetValue<string>() == "AWS::S3::Bucket" && definition["Properties"]?["BucketName"] is { } bucketName)
        {
            var name = Text(Resolve(bucketName));
            return attribute switch
            {
                null => name,
                "Arn" => $"arn:aws:s3:::{name}",
                _ => $"{{{resource}.{attribute}}}",
            };
        }

        return attribute is null ? $"{{{resource}}}" : $"{{{resource}.{attribute}}}";
    }

    private static bool IsTrue(JsonNode? value) => value is JsonValue flag && flag.GetValue<bool>();

    private static string Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        JsonArray list => string.Join(',', list.Select(Text)),
        null => "",
        _ => node.ToJsonString(),
    };

    [GeneratedRegex(@"\$\{([^}!][^}]*)\}")]
    private static partial Regex SubVariable();
}
