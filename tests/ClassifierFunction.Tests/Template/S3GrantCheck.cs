using System.Text.Json.Nodes;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// Finds IAM grants of S3 actions on every resource (<c>"*"</c>, <c>arn:...:s3:::*</c>) anywhere in a template: in
/// inline policy documents (Allow statements with an <c>s3:</c> action, <c>*</c>, or a NotAction), and AWS managed
/// S3 policies by name or ARN, which grant on <c>*</c>.
/// </summary>
public static class S3GrantCheck
{
    public static IReadOnlyList<string> FindWildcardGrants(JsonNode template)
    {
        var findings = new List<string>();
        Walk(template, "", findings);
        return findings;
    }

    private static void Walk(JsonNode? node, string path, List<string> findings)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["Statement"] is { } statements)
                {
                    foreach (var statement in statements is JsonArray list ? list : new JsonArray(statements.DeepClone()))
                    {
                        Check(statement as JsonObject, path + ".Statement", findings);
                    }
                }

                foreach (var (key, value) in obj)
                {
                    if (key is "Policies" or "ManagedPolicyArns" && value is JsonArray policies)
                    {
                        foreach (var policy in policies.OfType<JsonValue>())
                        {
                            if (policy.ToString().Contains("S3", StringComparison.Ordinal))
                            {
                                findings.Add($"{path}.{key}: managed policy {policy} grants S3 actions on *");
                            }
                        }
                    }

                    Walk(value, $"{path}.{key}".TrimStart('.'), findings);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", findings);
                }

                break;
        }
    }

    private static void Check(JsonObject? statement, string path, List<string> findings)
    {
        if (statement is null || statement["Effect"]?.ToString() != "Allow")
        {
            return;
        }

        var actions = Strings(statement["Action"]).ToList();
        var s3 = statement.ContainsKey("NotAction")
            || actions.Any(a => a == "*" || a.StartsWith("s3:", StringComparison.OrdinalIgnoreCase));
        if (!s3)
        {
            return;
        }

        if (statement.ContainsKey("NotResource"))
        {
            findings.Add($"{path} ({statement["Sid"]}): S3 actions on NotResource, i.e. on almost everything");
        }

        foreach (var resource in Strings(statement["Resource"]))
        {
            var arn = resource.Replace("${AWS::Partition}", "aws", StringComparison.Ordinal);
            if (arn is "*" || arn.EndsWith(":s3:::*", StringComparison.Ordinal) || arn.EndsWith(":*:*", StringComparison.Ordinal))
            {
                findings.Add($"{path} ({statement["Sid"]}): {string.Join(", ", actions)} on {resource}");
            }
        }
    }

    /// <summary>Literal strings of a value: a string, a list of them, or the template of an Fn::Sub.</summary>
    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonValue value => [value.ToString()],
        JsonArray list => list.SelectMany(Strings),
        JsonObject { Count: 1 } sub when sub["Fn::Sub"] is { } template => template is JsonArray withVariables ? Strings(withVariables[0]) : Strings(template),
        _ => [],
    };
}
