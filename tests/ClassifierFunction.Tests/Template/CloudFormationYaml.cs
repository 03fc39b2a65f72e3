using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// Reads a CloudFormation YAML template into its JSON form, as CloudFormation does: short-form tags become
/// intrinsic functions (<c>!Ref X</c> → <c>{"Ref": "X"}</c>, <c>!GetAtt A.B</c> → <c>{"Fn::GetAtt": ["A", "B"]}</c>,
/// <c>!Sub s</c> → <c>{"Fn::Sub": s}</c>), and plain scalars become numbers, booleans or null where YAML says so.
/// </summary>
internal static class CloudFormationYaml
{
    public static JsonObject Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        return (JsonObject)Convert(stream.Documents.Single().RootNode)!;
    }

    private static JsonNode? Convert(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(c =>
                KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
            YamlScalarNode scalar => Scalar(scalar),
            _ => throw new NotSupportedException($"YAML node {node.GetType().Name} at {node.Start}"),
        };
        if (node.Tag.IsEmpty || node.Tag.Value is "tag:yaml.org,2002:str" or "!")
        {
            return value;
        }

        var name = node.Tag.Value.TrimStart('!');
        if (name == "GetAtt" && value is JsonValue text && text.TryGetValue<string>(out var attribute))
        {
            var parts = attribute.Split('.', 2);
            value = new JsonArray(parts[0], parts[1]);
        }

        return new JsonObject { [name is "Ref" or "Condition" ? name : "Fn::" + name] = value };
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !text.Contains('_') => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }
}
