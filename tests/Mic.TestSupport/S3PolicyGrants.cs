using System.Text.Json.Nodes;

namespace Mic.TestSupport;

/// <summary>
/// Reads the S3 permissions an IAM policy document grants on one bucket, by key prefix, for the least-privilege checks
/// of both templates (the function's S3 access table, the training job role): an Allow statement's S3 actions on
/// <c>arn:aws:s3:::bucket/prefix*</c> become <see cref="S3Grant"/>s; what no prefix can express (NotAction or
/// NotResource, another bucket) becomes a finding naming the principal and the statement's Sid.
/// </summary>
public static class S3PolicyGrants
{
    /// <summary>The prefix of a grant on the bucket itself (<c>arn:aws:s3:::bucket</c>), for bucket-level actions such as ListBucket.</summary>
    public const string Bucket = "";

    /// <summary>The prefix of a grant on every object (or every bucket).</summary>
    public const string Everything = "*";

    /// <summary>
    /// Adds the grants of <paramref name="document"/>'s Allow statements on the bucket named <paramref name="bucket"/> (as the
    /// resolved template spells it in ARNs) to <paramref name="grants"/>, and its problems to <paramref name="findings"/>.
    /// </summary>
    public static void Collect(string principal, JsonNode? document, string bucket, List<S3Grant> grants, List<string> findings)
    {
        foreach (var statement in Items(document?["Statement"]).OfType<JsonObject>())
        {
            if (statement["Effect"]?.ToString() != "Allow")
            {
                continue;
            }

            var sid = statement["Sid"]?.ToString() ?? "(no Sid)";
            if (statement.ContainsKey("NotAction") || statement.ContainsKey("NotResource"))
            {
                findings.Add($"{principal} {sid}: NotAction/NotResource grants almost everything");
                continue;
            }

            var s3Actions = Items(statement["Action"]).Select(a => a!.ToString())
                .Where(a => a == Everything || a.StartsWith("s3", StringComparison.OrdinalIgnoreCase)).ToList();
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
                        findings.Add($"{principal} {sid}: S3 access to {resource}, outside the images bucket");
                    }

                    continue;
                }

                grants.AddRange(s3Actions.Select(action => new S3Grant(action, prefix)));
            }
        }
    }

    /// <summary>Findings for each grant of <paramref name="principal"/> that is not in <paramref name="allowed"/>.</summary>
    public static IEnumerable<string> NotAllowed(string principal, IEnumerable<S3Grant> granted, IReadOnlySet<S3Grant> allowed, string table) =>
        granted.Where(g => !allowed.Contains(g)).Select(g => $"{principal}: {g} is not in its {table} row");

    /// <summary>The prefix a resource ARN names in <paramref name="bucket"/>, <see cref="Everything"/>, or null for no object of it.</summary>
    public static string? Prefix(string resource, string bucket)
    {
        if (resource == Everything || resource.StartsWith("arn:aws:s3:::*", StringComparison.Ordinal))
        {
            return Everything;
        }

        var bucketArn = $"arn:aws:s3:::{bucket}";
        if (resource == bucketArn)
        {
            return Bucket;
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

    /// <summary>A policy member that may be one value or a list, as a list.</summary>
    public static IEnumerable<JsonNode?> Items(JsonNode? node) => node switch
    {
        JsonArray list => list,
        null => Array.Empty<JsonNode?>(),
        _ => new[] { node },
    };
}
