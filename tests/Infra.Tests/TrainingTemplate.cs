using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mic.Infra.Tests;

/// <summary>infra/training.yaml through the real tools: cfn-lint, and SAM's translator (sam_transform.py beside this file).</summary>
internal static class TrainingTemplate
{
    public static string Path { get; } = System.IO.Path.Combine(TestAssets.RepositoryRoot, "infra", "training.yaml");

    /// <summary>The one parameter without a default: what template.yaml passes.</summary>
    public static IReadOnlyDictionary<string, string> Required { get; } =
        new Dictionary<string, string> { ["ImagesBucketName"] = "mic-images-123456789012-us-east-1" };

    private static string TransformScript { get; } = System.IO.Path.Combine(TestAssets.RepositoryRoot, "tests", "Infra.Tests", "sam_transform.py");

    /// <summary>cfn-lint over the template with these parameter values (it resolves conditions with them).</summary>
    public static Task<CommandRun> LintAsync(string template, IReadOnlyDictionary<string, string> parameters)
    {
        string[] arguments = [template, "--format", "parseable", .. parameters.Count == 0 ? [] : new[] { "--parameters" },
            .. parameters.Select(p => $"{p.Key}={p.Value}")];
        return CommandRun.RunAsync(AwsTools.CfnLint, arguments, TimeSpan.FromMinutes(2));
    }

    /// <summary>SAM's transform of each (template, parameters): the CloudFormation template, or SAM's error.</summary>
    public static async Task<IReadOnlyList<(JsonObject? Template, string? Error)>> TransformAsync(
        IEnumerable<(string Template, IReadOnlyDictionary<string, string> Parameters)> jobs)
    {
        var input = JsonSerializer.Serialize(jobs.Select(j => new { template = j.Template, parameters = j.Parameters }));
        var output = await AwsTools.RunPythonAsync(TransformScript, [input], TimeSpan.FromMinutes(2));
        return [.. JsonNode.Parse(output)!.AsArray().Select(r => (r!["template"] as JsonObject, r["error"]?.GetValue<string>()))];
    }

    public static IReadOnlyDictionary<string, string> With(params (string Name, string Value)[] values)
    {
        var all = new Dictionary<string, string>(Required);
        foreach (var (name, value) in values)
        {
            all[name] = value;
        }

        return all;
    }
}
