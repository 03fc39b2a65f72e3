using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mic.Infra.Tests;

/// <summary>
/// A CloudFormation template (after SAM's transform) as CloudFormation would see it for one set of parameter values:
/// which resources its conditions keep, and property values with Ref, Fn::If, Fn::Sub, Fn::Join, Fn::Select and
/// Fn::GetAZs worked out. A reference to a resource becomes the text <c>&lt;ref Name&gt;</c>, an attribute
/// <c>&lt;Name.Attribute&gt;</c>; the stack runs in us-east-1 of account 123456789012 (partition aws).
/// </summary>
internal sealed partial class TemplateModel
{
    private readonly Dictionary<string, JsonNode> _parameters = [];

    public TemplateModel(JsonObject template, IReadOnlyDictionary<string, string> values)
    {
        Template = template;
        foreach (var (name, declaration) in template["Parameters"]?.AsObject() ?? [])
        {
            var text = values.TryGetValue(name, out var given) ? given : declaration?["Default"]?.ToString()
                ?? throw new ArgumentException($"parameter {name} has no default and no value");
            _parameters[name] = declaration?["Type"]?.GetValue<string>() == "CommaDelimitedList"
                ? new JsonArray([.. text.Split(',').Select(s => (JsonNode)JsonValue.Create(s.Trim()))])
                : JsonValue.Create(text);
        }
    }

    public JsonObject Template { get; }

    public JsonObject Resources => Template["Resources"]!.AsObject();

    /// <summary>The resources CloudFormation would create, with their properties resolved.</summary>
    public IReadOnlyList<(string Name, string Type, JsonObject Properties)> Active(string? type = null) =>
        [.. Resources
            .Where(r => r.Value!["Condition"] is not JsonValue condition || Condition(condition.GetValue<string>()))
            .Where(r => type is null || r.Value!["Type"]!.GetValue<string>() == type)
            .Select(r => (r.Key, r.Value!["Type"]!.GetValue<string>(), Resolve(r.Value["Properties"]) as JsonObject ?? []))];

    public bool IsActive(string name) => Active().Any(r => r.Name == name);

    public bool Condition(string name) => Evaluate(Template["Conditions"]![name]);

    public JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject { Count: 1 } function when function.First().Key is "Ref" or "Condition" || function.First().Key.StartsWith("Fn::", StringComparison.Ordinal):
                return Function(function.First().Key, function.First().Value);
            case JsonObject obj:
                var resolved = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (Resolve(value) is { } kept)
                    {
                        resolved[key] = kept;
                    }
                }

                return resolved;
            case JsonArray array:
                return new JsonArray([.. array.Select(Resolve).Where(v => v is not null)]);
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>A resolved value as text (a list joins with commas).</summary>
    public string Text(JsonNode? node) => Resolve(node) switch
    {
        JsonArray list => string.Join(',', list.Select(Text)),
        { } value => value.ToString(),
        null => "",
    };

    private JsonNode? Function(string name, JsonNode? argument)
    {
        switch (name)
        {
            case "Ref":
                var target = argument!.GetValue<string>();
                return target switch
                {
                    "AWS::NoValue" => null,
                    "AWS::Region" => "us-east-1",
                    "AWS::AccountId" => "123456789012",
                    "AWS::Partition" => "aws",
                    "AWS::StackName" => "mic-Training-1A2B3C",
                    "AWS::URLSuffix" => "amazonaws.com",
                    _ when _parameters.TryGetValue(target, out var value) => value.DeepClone(),
                    _ when Resources.ContainsKey(target) => $"<ref {target}>",
                    _ => throw new InvalidOperationException($"Ref to {target}, which is no parameter or resource"),
                };
            case "Fn::GetAtt":
                var parts = argument is JsonArray pair ? pair.Select(p => p!.GetValue<string>()).ToArray() : argument!.GetValue<string>().Split('.', 2);
                return $"<{parts[0]}.{parts[1]}>";
            case "Fn::If":
                var branches = argument!.AsArray();
                return Resolve(Condition(branches[0]!.GetValue<string>()) ? branches[1] : branches[2]);
            case "Fn::Sub":
                var (text, variables) = argument is JsonArray withVariables
                    ? (withVariables[0]!.GetValue<string>(), withVariables[1]!.AsObject())
                    : (argument!.GetValue<string>(), new JsonObject());
                return SubVariable().Replace(text, m => variables[m.Groups[1].Value] is { } own
                    ? Text(own)
                    : m.Groups[1].Value.Contains('.', StringComparison.Ordinal)
                        ? $"<{m.Groups[1].Value}>"
                        : Text(new JsonObject { ["Ref"] = m.Groups[1].Value }));
            case "Fn::Join":
                var join = argument!.AsArray();
                return string.Join(join[0]!.GetValue<string>(), (Resolve(join[1]) as JsonArray ?? []).Select(Text));
            case "Fn::Select":
                var select = argument!.AsArray();
                return (Resolve(select[1]) as JsonArray)![int.Parse(Text(select[0]), System.Globalization.CultureInfo.InvariantCulture)]!.DeepClone();
            case "Fn::GetAZs":
                return new JsonArray("us-east-1a", "us-east-1b", "us-east-1c");
            default:
                return new JsonObject { [name] = argument?.DeepClone() }; // left as written (Fn::Split, Fn::ImportValue…)
        }
    }

    private bool Evaluate(JsonNode? condition)
    {
        var (name, argument) = condition!.AsObject().First();
        return name switch
        {
            "Fn::Equals" => Text(argument![0]) == Text(argument[1]),
            "Fn::Not" => !Evaluate(argument![0]),
            "Fn::And" => argument!.AsArray().All(Evaluate),
            "Fn::Or" => argument!.AsArray().Any(Evaluate),
            "Condition" => Condition(argument!.GetValue<string>()),
            _ => throw new NotSupportedException($"condition function {name}"),
        };
    }

    [GeneratedRegex(@"\$\{([^!}][^}]*)\}")]
    private static partial Regex SubVariable();
}
