using System.Text.Json.Nodes;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// Reads every S3 permission the IAM roles and policies of a resolved template grant, and reports each one that
/// <see cref="S3AccessRules"/> does not allow: a grant not in the principal's row, a principal with no row, a wildcard
/// action or resource, NotAction/NotResource, another bucket, an AWS managed S3 policy; and, whatever the table says,
/// a function that writes the model store or a model writer that touches uploads/.
/// </summary>
internal static class S3AccessCheck
{
    private const string Everything = "*";

    private static readonly IReadOnlySet<string> UploadPrefixes = new HashSet<string> { "uploads/" };

    public static IReadOnlyList<string> FindViolations(ResolvedTemplate template, string bucket)
    {
        var violations = new List<string>();
        var grants = new Dictionary<string, List<S3Grant>>();
        foreach (var (name, role) in template.OfType("AWS::IAM::Role"))
        {
            var properties = role["Properties"]?.AsObject() ?? [];
            foreach (var arn in properties["ManagedPolicyArns"]?.AsArray() ?? [])
            {
                if (arn?.ToString().Contains("S3", StringComparison.OrdinalIgnoreCase) == true)
                {
                    violations.Add($"{name}: managed policy {arn} grants S3 actions on every bucket");
                }
            }

            foreach (var policy in properties["Policies"]?.AsArray() ?? [])
            {
                Collect(name, policy?["PolicyDocument"], bucket, Principal(grants, name), violations);
            }
        }

        foreach (var type in new[] { "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy" })
        {
            foreach (var (name, policy) in template.OfType(type))
            {
                Collect(name, policy["Properties"]?["PolicyDocument"], bucket, Principal(grants, name), violations);
            }
        }

        foreach (var (principal, granted) in grants)
        {
            if (granted.Count == 0)
            {
                continue;
            }

            if (S3AccessRules.Allowed.TryGetValue(principal, out var allowed))
            {
                violations.AddRange(granted.Where(g => !allowed.Contains(g)).Select(g => $"{principal}: {g} is not in its S3AccessRules row"));
            }
            else
            {
                violations.Add($"{principal}: has S3 access ({string.Join(", ", granted)}) but no row in S3AccessRules");
            }

            var writesModels = granted.Any(g => S3AccessRules.Writes(g.Action) && Covers(g.Prefix, S3AccessRules.TrainerOnlyPrefixes));
            if (writesModels && principal.EndsWith("FunctionRole", StringComparison.Ordinal))
            {
                violations.Add($"{principal}: a function may not write the model store ({string.Join(", ", S3AccessRules.TrainerOnlyPrefixes)})");
            }

            if (writesModels && granted.Any(g => Covers(g.Prefix, UploadPrefixes)))
            {
                violations.Add($"{principal}: writes the model store and also touches uploads/");
            }
        }

        return violations;
    }

    private static List<S3Grant> Principal(Dictionary<string, List<S3Grant>> grants, string name) =>
        grants.TryGetValue(name, out var list) ? list : grants[name] = [];

    private static bool Covers(string prefix, IReadOnlySet<string> prefixes) =>
        prefix == Everything
        || prefixes.Any(p => prefix.Length > 0 && (p.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(p, StringComparison.Ordinal)));

    private static void Collect(string principal, JsonNode? document, string bucket, List<S3Grant> grants, List<string> violations)
    {
        foreach (var statement in Items(document?["Statement"]).OfType<JsonObject>())
        {
            if (statement["Effect"]?.ToString() != "Allow")
            {
                continue;
            }

            var sid = statement["Sid"]?.ToString() ?? "(no Sid)";
            var actions = Items(statement["Action"]).Select(a => a!.ToString()).ToList();
            if (statement.ContainsKey("NotAction") || statement.ContainsKey("NotResource"))
            {
                violations.Add($"{principal} {sid}: NotAction/NotResource grants almost everything");
                continue;
            }

            var s3Actions = actions.Where(a => a == "*" || a.StartsWith("s3", StringComparison.OrdinalIgnoreCase)).ToList();
            if (s3Actions.Count == 0)
            {
                continue;
            }

            foreach (var resource in Items(statement["Resource"]).Select(r => r!.ToString()))
            {
                var prefix = Prefix(resource, bucket);
                if (prefix is null)
                {
                    if (resource.StartsWith("arn:aws:s3:", StringComparison.Ordinal))
                    {
                        violations.Add($"{principal} {sid}: S3 access to {resource}, outside the images bucket");
                    }

                    continue;
                }

                grants.AddRange(s3Actions.Select(action => new S3Grant(action, prefix)));
            }
        }
    }

    /// <summary>The prefix a resource ARN names in <paramref name="bucket"/>, <c>*</c> for everything, or null for no S3 object of it.</summary>
    private static string? Prefix(string resource, string bucket)
    {
        if (resource == Everything || resource.StartsWith("arn:aws:s3:::*", StringComparison.Ordinal))
        {
            return Everything;
        }

        var bucketArn = $"arn:aws:s3:::{bucket}";
        if (resource == bucketArn)
        {
            return S3AccessRules.Bucket;
        }

        if (!resource.StartsWith(bucketArn + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var key = resource[(bucketArn.Length + 1)..];
        return key.EndsWith('*') && key.IndexOf('*', StringComparison.Ordinal) == key.Length - 1 && key.Length > 1
            ? key[..^1]
            : key.Contains('*', StringComparison.Ordinal) ? Everything : key;
    }

    private static IEnumerable<JsonNode?> Items(JsonNode? node) => node switch
    {
        JsonArray list => list,
        null => Array.Empty<JsonNode?>(),
        _ => new[] { node },
    };
}
