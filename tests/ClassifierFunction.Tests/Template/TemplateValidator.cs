using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// Checks a CloudFormation/SAM template against <see cref="ResourceSpecification"/>: known resource types, no unknown
/// property, every required property present, every value of its property's type (intrinsic functions stand for
/// any value; both branches of <c>Fn::If</c> are checked), allowed values, and every <c>Ref</c>, <c>Fn::GetAtt</c>
/// and condition naming something the template defines.
/// </summary>
public sealed class TemplateValidator(ResourceSpecification specification)
{
    private static readonly HashSet<string> Sections =
        ["AWSTemplateFormatVersion", "Description", "Metadata", "Transform", "Parameters", "Rules", "Mappings", "Conditions", "Resources", "Outputs", "Globals"];

    private static readonly HashSet<string> ResourceAttributes =
        ["Type", "Properties", "DependsOn", "Condition", "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy"];

    private static readonly HashSet<string> PseudoParameters =
        ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

    // Where the specification contradicts the service, checked against the SAM documentation. Keyed
    // "<type definition name>.<property>": the property is not required, whatever the specification says.
    private static readonly HashSet<string> NotActuallyRequired =
    [
        "EventInvokeDestinationConfig.OnSuccess", // SAM: DestinationConfig takes OnSuccess, OnFailure or both
    ];

    // Documented SAM properties the specification lacks, with their types.
    private static readonly Dictionary<string, JsonElement> MissingFromSpecification = new()
    {
        // SAM's HttpApi Auth has had EnableIamAuthorizer since v1.34 (serverless-application-model PR 1924).
        ["HttpApiAuth.EnableIamAuthorizer"] = JsonDocument.Parse("""{"type":"boolean"}""").RootElement.Clone(),
    };

    public IReadOnlyList<string> Validate(JsonObject template)
    {
        var errors = new List<string>();
        foreach (var (section, _) in template)
        {
            if (!Sections.Contains(section))
            {
                errors.Add($"{section}: unknown template section");
            }
        }

        var parameters = Names(template, "Parameters");
        var resources = template["Resources"] as JsonObject ?? [];
        var conditions = Names(template, "Conditions");
        foreach (var (name, node) in resources)
        {
            ValidateResource(name, node as JsonObject, conditions, errors);
        }

        if (template["Globals"] is JsonObject globals)
        {
            foreach (var (section, node) in globals)
            {
                if (!specification.TryGetResource("AWS::Serverless::" + section, out var properties) || node is not JsonObject values)
                {
                    errors.Add($"Globals.{section}: not a SAM resource type");
                    continue;
                }

                foreach (var (property, value) in values)
                {
                    ValidateProperty(properties, "AWS::Serverless::" + section, property, value, "Globals." + section, errors);
                }
            }
        }

        CheckReferences(template, [.. parameters, .. resources.Select(r => r.Key), .. PseudoParameters], [.. resources.Select(r => r.Key)],
            conditions, "", errors);
        return errors;
    }

    private void ValidateResource(string name, JsonObject? resource, HashSet<string> conditions, List<string> errors)
    {
        var path = "Resources." + name;
        if (resource?["Type"]?.GetValue<string>() is not { } type)
        {
            errors.Add($"{path}: no Type");
            return;
        }

        foreach (var (attribute, _) in resource)
        {
            if (!ResourceAttributes.Contains(attribute))
            {
                errors.Add($"{path}.{attribute}: unknown resource attribute");
            }
        }

        if (resource["Condition"] is JsonValue condition && !conditions.Contains(condition.GetValue<string>()))
        {
            errors.Add($"{path}.Condition: no condition named {condition}");
        }

        if (!specification.TryGetResource(type, out var properties))
        {
            errors.Add($"{path}: unknown resource type {type}");
            return;
        }

        ValidateObject(resource["Properties"] as JsonObject ?? [], properties, type, path + ".Properties", errors);
    }

    private void ValidateObject(JsonObject value, JsonElement properties, string typeName, string path, List<string> errors)
    {
        foreach (var (name, property) in value)
        {
            ValidateProperty(properties, typeName, name, property, path, errors);
        }

        foreach (var property in properties.EnumerateObject())
        {
            if (property.Value.TryGetProperty("required", out var required) && required.GetBoolean() && !value.ContainsKey(property.Name)
                && !NotActuallyRequired.Contains($"{typeName}.{property.Name}"))
            {
                errors.Add($"{path}.{property.Name}: missing required property");
            }
        }
    }

    private void ValidateProperty(JsonElement properties, string typeName, string name, JsonNode? value, string path, List<string> errors)
    {
        JsonElement type;
        if (properties.TryGetProperty(name, out var property))
        {
            type = property.GetProperty("type");
        }
        else if (!MissingFromSpecification.TryGetValue($"{typeName}.{name}", out type))
        {
            errors.Add($"{path}.{name}: unknown property");
            return;
        }

        // A struct with a Type naming its variant (a SAM event source): check Properties against that variant.
        if (name == "Properties" && type.GetProperty("type").GetString() == "union" && value?.Parent?["Type"] is JsonValue variant)
        {
            var named = type.GetProperty("types").EnumerateArray()
                .Where(t => t.GetProperty("type").GetString() == "ref")
                .FirstOrDefault(t => Definition(t).GetProperty("name").GetString() == variant.GetValue<string>() + "Event");
            if (named.ValueKind == JsonValueKind.Object)
            {
                type = named;
            }
        }

        ValidateValue(value, type, $"{path}.{name}", errors);
    }

    private void ValidateValue(JsonNode? value, JsonElement type, string path, List<string> errors)
    {
        if (value is null)
        {
            errors.Add($"{path}: no value");
            return;
        }

        if (value is JsonObject intrinsic && intrinsic.Count == 1 && intrinsic.First().Key is var function
            && (function == "Ref" || function.StartsWith("Fn::", StringComparison.Ordinal)))
        {
            if (function == "Fn::If" && intrinsic[function] is JsonArray { Count: 3 } branches)
            {
                foreach (var branch in branches.Skip(1))
                {
                    if (branch is not JsonObject noValue || noValue["Ref"]?.GetValue<string>() != "AWS::NoValue")
                    {
                        ValidateValue(branch, type, path, errors);
                    }
                }
            }

            return; // any other intrinsic function stands for a value of the right type
        }

        var kind = type.GetProperty("type").GetString();
        switch (kind)
        {
            case "string" or "date-time":
                if (value is not JsonValue scalar)
                {
                    errors.Add($"{path}: expected a string, found {Describe(value)}");
                }
                else if (type.TryGetProperty("allowedValues", out var allowed) && scalar.TryGetValue<string>(out var text)
                         && !allowed.EnumerateArray().Any(a => a.GetString() == text))
                {
                    errors.Add($"{path}: '{text}' is not one of {string.Join(", ", allowed.EnumerateArray())}");
                }

                break;
            case "number" or "integer":
                if (!(value is JsonValue number && (number.GetValueKind() == JsonValueKind.Number
                    || (number.TryGetValue<string>(out var digits) && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))))
                {
                    errors.Add($"{path}: expected a number, found {Describe(value)}");
                }

                break;
            case "boolean":
                if (!(value is JsonValue flag && (flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                    || (flag.TryGetValue<string>(out var word) && word is "true" or "false"))))
                {
                    errors.Add($"{path}: expected a boolean, found {Describe(value)}");
                }

                break;
            case "json":
                break;
            case "tag":
                if (value is not JsonObject tag || !tag.ContainsKey("Key") || !tag.ContainsKey("Value"))
                {
                    errors.Add($"{path}: expected a tag {{Key, Value}}, found {Describe(value)}");
                }

                break;
            case "array":
                if (value is JsonArray items)
                {
                    for (var i = 0; i < items.Count; i++)
                    {
                        ValidateValue(items[i], type.GetProperty("element"), $"{path}[{i}]", errors);
                    }
                }
                else
                {
                    errors.Add($"{path}: expected a list, found {Describe(value)}");
                }

                break;
            case "map":
                if (value is JsonObject entries)
                {
                    foreach (var (key, entry) in entries)
                    {
                        ValidateValue(entry, type.GetProperty("element"), $"{path}.{key}", errors);
                    }
                }
                else
                {
                    errors.Add($"{path}: expected a map, found {Describe(value)}");
                }

                break;
            case "ref":
                var definition = Definition(type);
                if (value is JsonObject structure)
                {
                    ValidateObject(structure, definition.GetProperty("properties"), definition.GetProperty("name").GetString()!, path, errors);
                }
                else
                {
                    errors.Add($"{path}: expected a {definition.GetProperty("name").GetString()} object, found {Describe(value)}");
                }

                break;
            case "union":
                var attempts = type.GetProperty("types").EnumerateArray().Select(alternative =>
                {
                    var found = new List<string>();
                    ValidateValue(value, alternative, path, found);
                    return found;
                }).ToList();
                if (attempts.All(a => a.Count > 0))
                {
                    errors.AddRange(attempts.MinBy(a => a.Count)!);
                }

                break;
            default:
                errors.Add($"{path}: the specification has a type '{kind}' this validator does not know");
                break;
        }
    }

    private JsonElement Definition(JsonElement refType) =>
        specification.TypeDefinition(refType.GetProperty("reference").GetProperty("$ref").GetString()!);

    private static void CheckReferences(JsonNode? node, HashSet<string> referable, HashSet<string> resources, HashSet<string> conditions,
        string path, List<string> errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "Ref" && value is JsonValue target && !referable.Contains(target.GetValue<string>()))
                    {
                        errors.Add($"{path}: Ref to {target}, which is no parameter, resource or pseudo parameter");
                    }
                    else if (key == "Fn::GetAtt" && value is JsonArray { Count: 2 } att && !resources.Contains(att[0]!.GetValue<string>()))
                    {
                        errors.Add($"{path}: Fn::GetAtt of {att[0]}, which is no resource");
                    }
                    else if (key == "Fn::If" && value is JsonArray { Count: 3 } branches && !conditions.Contains(branches[0]!.GetValue<string>()))
                    {
                        errors.Add($"{path}: Fn::If on {branches[0]}, which is no condition");
                    }
                    else if (key == "Fn::Sub" && value is JsonValue sub)
                    {
                        foreach (var variable in SubVariables(sub.GetValue<string>()))
                        {
                            if (!referable.Contains(variable.Split('.')[0]))
                            {
                                errors.Add($"{path}: Fn::Sub uses ${{{variable}}}, which is no parameter, resource or pseudo parameter");
                            }
                        }
                    }

                    CheckReferences(value, referable, resources, conditions, $"{path}.{key}".TrimStart('.'), errors);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckReferences(array[i], referable, resources, conditions, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    private static IEnumerable<string> SubVariables(string text)
    {
        for (var start = text.IndexOf("${", StringComparison.Ordinal); start >= 0; start = text.IndexOf("${", start + 2, StringComparison.Ordinal))
        {
            var end = text.IndexOf('}', start);
            if (end > start && text[start + 2] != '!')
            {
                yield return text[(start + 2)..end];
            }
        }
    }

    private static HashSet<string> Names(JsonObject template, string section) =>
        template[section] is JsonObject names ? [.. names.Select(n => n.Key)] : [];

    private static string Describe(JsonNode value) => value switch
    {
        JsonObject => "a map",
        JsonArray => "a list",
        _ => $"{value.GetValueKind().ToString().ToLowerInvariant()} {value.ToJsonString()}",
    };
}
