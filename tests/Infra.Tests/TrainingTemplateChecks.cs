using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mic.Infra.Tests;

/// <summary>
/// What cfn-lint does not check in infra/training.yaml: the decisions of docs/training-on-aws.md that would still
/// deploy if broken. Each finding is one line naming the resource.
/// </summary>
internal static class TrainingTemplateChecks
{
    // The g4dn sizes (one to eight NVIDIA T4s).
    private static readonly HashSet<string> G4dn =
        ["g4dn.xlarge", "g4dn.2xlarge", "g4dn.4xlarge", "g4dn.8xlarge", "g4dn.12xlarge", "g4dn.16xlarge", "g4dn.metal"];

    // A g4dn.xlarge: 4 vCPUs, one GPU, 16 GiB of which ECS registers less; 15,000 MiB leaves room for its reservation.
    private const int XlargeVcpus = 4;
    private const int XlargeJobMemoryMiB = 15_000;

    private static readonly string[] JobPrefixes = ["datasets/", "feedback/", "models/", "checkpoints/"];

    // The job role's row, as S3PolicyGrants reads the role's policies: read the datasets and the users' feedback,
    // read and publish models, keep checkpoints, list those prefixes.
    private static readonly IReadOnlySet<S3Grant> JobRoleGrants = new HashSet<S3Grant>
    {
        new("s3:GetObject", "datasets/"), new("s3:GetObject", "feedback/"), new("s3:GetObject", "models/"), new("s3:PutObject", "models/"),
        new("s3:GetObject", "checkpoints/"), new("s3:PutObject", "checkpoints/"), new("s3:DeleteObject", "checkpoints/"),
        new("s3:ListBucket", S3PolicyGrants.Bucket),
    };

    public static IReadOnlyList<string> Check(TemplateModel template)
    {
        var findings = new List<string>();
        ComputeEnvironments(template, findings);
        Queue(template, findings);
        JobDefinition(template, findings);
        Schedule(template, findings);
        JobRole(template, findings);
        return findings;
    }

    private static void ComputeEnvironments(TemplateModel template, List<string> findings)
    {
        foreach (var (name, _, properties) in template.Active("AWS::Batch::ComputeEnvironment"))
        {
            var resources = properties["ComputeResources"]!;
            foreach (var type in (resources["InstanceTypes"] as JsonArray ?? []).Select(t => t!.ToString()))
            {
                if (!G4dn.Contains(type))
                {
                    findings.Add($"{name}: instance type '{type}' is not a g4dn size ({string.Join(", ", G4dn)})");
                }
            }

            var images = (resources["Ec2Configuration"] as JsonArray ?? []).Select(c => c!["ImageType"]?.ToString()).ToList();
            if (images is not ["ECS_AL2023_NVIDIA"])
            {
                findings.Add($"{name}: Ec2Configuration ImageType is [{string.Join(", ", images)}], not ECS_AL2023_NVIDIA");
            }

            if (template.Text(resources["MinvCpus"]) != "0")
            {
                findings.Add($"{name}: MinvCpus is {resources["MinvCpus"]}, not 0 (an idle instance is billed)");
            }

            if (resources["Type"]?.ToString() == "SPOT" && resources["AllocationStrategy"]?.ToString() != "SPOT_PRICE_CAPACITY_OPTIMIZED")
            {
                findings.Add($"{name}: Spot allocation strategy is {resources["AllocationStrategy"]}, not SPOT_PRICE_CAPACITY_OPTIMIZED");
            }
        }
    }

    private static void Queue(TemplateModel template, List<string> findings)
    {
        foreach (var (name, _, properties) in template.Active("AWS::Batch::JobQueue"))
        {
            var order = (properties["ComputeEnvironmentOrder"] as JsonArray ?? [])
                .OrderBy(o => int.Parse(template.Text(o!["Order"]), System.Globalization.CultureInfo.InvariantCulture))
                .Select(o => Type(template, o!["ComputeEnvironment"]!.ToString()))
                .ToList();
            if (order.Count == 0 || order[^1] != "EC2" || order.Take(order.Count - 1).Any(t => t != "SPOT"))
            {
                findings.Add($"{name}: compute environments in order [{string.Join(", ", order)}]: Spot first, on-demand (EC2) last");
            }

            var limits = properties["JobStateTimeLimitActions"] as JsonArray ?? [];
            if (limits.Count == 0 || limits.Any(l => l!["State"]?.ToString() != "RUNNABLE" || l["Action"]?.ToString() != "CANCEL"))
            {
                findings.Add($"{name}: no RUNNABLE time limit that cancels a job that cannot be placed");
            }
        }
    }

    private static void JobDefinition(TemplateModel template, List<string> findings)
    {
        foreach (var (name, _, properties) in template.Active("AWS::Batch::JobDefinition"))
        {
            var rules = properties["RetryStrategy"]?["EvaluateOnExit"] as JsonArray ?? [];
            var last = rules.LastOrDefault();
            if (last?["Action"]?.ToString() != "EXIT" || !new[] { "OnReason", "OnStatusReason", "OnExitCode" }.Any(m => last[m]?.ToString() == "*"))
            {
                findings.Add($"{name}: the retry strategy does not end with an EXIT rule matching '*' (Batch retries when no rule matches)");
            }

            foreach (var rule in rules.Where(r => r!["Action"]?.ToString() == "RETRY"))
            {
                var hostLoss = rule!["OnStatusReason"]?.ToString().StartsWith("Host EC2", StringComparison.Ordinal) == true;
                var imagePull = rule["OnReason"]?.ToString().StartsWith("CannotPullContainerError", StringComparison.Ordinal) == true;
                if (!hostLoss && !imagePull)
                {
                    findings.Add($"{name}: retry rule {rule.ToJsonString()} retries something other than host loss or an image pull");
                }
            }

            if (properties["Timeout"]?["AttemptDurationSeconds"] is null)
            {
                findings.Add($"{name}: no attempt timeout");
            }

            var container = properties["ContainerProperties"]!;
            var needs = (container["ResourceRequirements"] as JsonArray ?? [])
                .ToDictionary(r => r!["Type"]!.ToString(), r => int.Parse(template.Text(r!["Value"]), System.Globalization.CultureInfo.InvariantCulture));
            if (needs.GetValueOrDefault("GPU") != 1 || needs.GetValueOrDefault("VCPU") is < 1 or > XlargeVcpus
                || needs.GetValueOrDefault("MEMORY") is < 1 or > XlargeJobMemoryMiB)
            {
                findings.Add($"{name}: needs {JsonSerializer.Serialize(needs)}, which does not fit a g4dn.xlarge "
                    + $"(1 GPU, at most {XlargeVcpus} vCPUs and {XlargeJobMemoryMiB} MiB)");
            }

            var defaults = properties["Parameters"] as JsonObject ?? [];
            foreach (var placeholder in (container["Command"] as JsonArray ?? []).Select(c => c!.ToString()).Where(c => c.StartsWith("Ref::", StringComparison.Ordinal)))
            {
                if (!defaults.ContainsKey(placeholder[5..]))
                {
                    findings.Add($"{name}: command placeholder {placeholder} has no default in Parameters");
                }
            }
        }
    }

    private static void Schedule(TemplateModel template, List<string> findings)
    {
        var definition = template.Active("AWS::Batch::JobDefinition").Single();
        var queue = template.Active("AWS::Batch::JobQueue").Single();
        foreach (var (name, _, properties) in template.Active("AWS::Scheduler::Schedule"))
        {
            var target = properties["Target"]!;
            if (target["Arn"]?.ToString() != "arn:aws:scheduler:::aws-sdk:batch:submitJob")
            {
                findings.Add($"{name}: target {target["Arn"]} is not the universal target arn:aws:scheduler:::aws-sdk:batch:submitJob");
            }

            JsonNode? input;
            try
            {
                input = JsonNode.Parse(target["Input"]?.ToString() ?? "");
            }
            catch (JsonException e)
            {
                findings.Add($"{name}: Input is not JSON ({e.Message})");
                continue;
            }

            if (input?["JobQueue"]?.ToString() != $"<ref {queue.Name}>" || input["JobDefinition"]?.ToString() != $"<ref {definition.Name}>")
            {
                findings.Add($"{name}: Input names queue '{input?["JobQueue"]}' and definition '{input?["JobDefinition"]}', "
                    + $"not <ref {queue.Name}> and <ref {definition.Name}>");
            }

            if (string.IsNullOrEmpty(input?["JobName"]?.ToString()))
            {
                findings.Add($"{name}: Input has no JobName (SubmitJob requires one)");
            }

            var declared = definition.Properties["Parameters"] as JsonObject ?? [];
            foreach (var (parameter, _) in input?["Parameters"] as JsonObject ?? [])
            {
                if (!declared.ContainsKey(parameter))
                {
                    findings.Add($"{name}: Input sets parameter '{parameter}', which the job definition does not declare");
                }
            }

            var deadLetter = target["DeadLetterConfig"]?["Arn"]?.ToString() ?? "";
            if (!deadLetter.EndsWith(".Arn>", StringComparison.Ordinal) || Type(template, deadLetter) != "AWS::SQS::Queue")
            {
                findings.Add($"{name}: no SQS dead-letter queue ({deadLetter})");
            }
        }
    }

    private static void JobRole(TemplateModel template, List<string> findings)
    {
        var definition = template.Active("AWS::Batch::JobDefinition").Single();
        var role = definition.Properties["ContainerProperties"]!["JobRoleArn"]!.ToString().Trim('<', '>').Split('.')[0];
        var bucketName = template.Text(new JsonObject { ["Ref"] = "ImagesBucketName" });
        var resource = template.Active("AWS::IAM::Role").Single(r => r.Name == role);
        if (resource.Properties["ManagedPolicyArns"] is JsonArray { Count: > 0 })
        {
            findings.Add($"{role}: managed policies grant more than the job needs");
        }

        var grants = new List<S3Grant>();
        foreach (var document in (resource.Properties["Policies"] as JsonArray ?? []).Select(p => p!["PolicyDocument"]))
        {
            S3PolicyGrants.Collect(role, document, bucketName, grants, findings);
            foreach (var statement in S3PolicyGrants.Items(document?["Statement"]).OfType<JsonObject>().Where(s => s["Effect"]?.ToString() == "Allow"))
            {
                var sid = statement["Sid"]?.ToString() ?? "(no Sid)";
                var actions = Strings(statement["Action"]).ToList();
                if (actions.Any(a => !a.StartsWith("s3:", StringComparison.Ordinal) || a.Contains('*', StringComparison.Ordinal)))
                {
                    findings.Add($"{role} {sid}: grants {string.Join(", ", actions)}; the job may use named S3 actions only");
                }

                if (Strings(statement["Resource"]).Contains($"arn:aws:s3:::{bucketName}"))
                {
                    var prefixes = Strings(statement["Condition"]?["StringLikeIfExists"]?["s3:prefix"] ?? statement["Condition"]?["StringLike"]?["s3:prefix"]).ToList();
                    if (actions is not ["s3:ListBucket"] || prefixes.Count == 0 || prefixes.Any(p => !JobPrefixes.Any(j => p.StartsWith(j, StringComparison.Ordinal))))
                    {
                        findings.Add($"{role} {sid}: {string.Join(", ", actions)} on the bucket is not a listing limited to {string.Join(", ", JobPrefixes)}");
                    }
                }
            }
        }

        findings.AddRange(S3PolicyGrants.NotAllowed(role, grants, JobRoleGrants, "job role"));
    }

    private static IEnumerable<string> Strings(JsonNode? node) => S3PolicyGrants.Items(node).Select(n => n!.ToString());

    // "<ref Name>" or "<Name.Attribute>" → the resource's Type, or its compute type for a compute environment.
    private static string Type(TemplateModel template, string reference)
    {
        var name = reference.Trim('<', '>').Replace("ref ", "", StringComparison.Ordinal).Split('.')[0];
        var resource = template.Active().FirstOrDefault(r => r.Name == name);
        return resource.Type == "AWS::Batch::ComputeEnvironment"
            ? resource.Properties["ComputeResources"]!["Type"]!.ToString()
            : resource.Type ?? $"(no active resource {name})";
    }
}
