namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// Reads every S3 permission the IAM roles and policies of a resolved template grant, and reports each one that
/// <see cref="S3AccessRules"/> does not allow: a grant not in the principal's row, a principal with no row, a wildcard
/// action or resource, NotAction/NotResource, another bucket, an AWS managed S3 policy; and, whatever the table says,
/// a function that writes the model store or a model writer that touches uploads/.
/// </summary>
internal static class S3AccessCheck
{
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
                S3PolicyGrants.Collect(name, policy?["PolicyDocument"], bucket, Principal(grants, name), violations);
            }
        }

        foreach (var type in new[] { "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy" })
        {
            foreach (var (name, policy) in template.OfType(type))
            {
                S3PolicyGrants.Collect(name, policy["Properties"]?["PolicyDocument"], bucket, Principal(grants, name), violations);
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
                violations.AddRange(S3PolicyGrants.NotAllowed(principal, granted, allowed, nameof(S3AccessRules)));
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
        prefix == S3PolicyGrants.Everything
        || prefixes.Any(p => prefix.Length > 0 && (p.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(p, StringComparison.Ordinal)));
}
