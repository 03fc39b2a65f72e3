using System.Text.Json.Nodes;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// The real AWS tools over a template: the <c>cfn-lint</c> command, and SAM's transform (aws-sam-translator, through
/// <c>sam_check.py</c>) for every ApiAuth × AllowedOrigins × Architecture combination.
/// </summary>
public sealed class SamCheck
{
    private SamCheck(CommandRun lint, JsonObject translations, string directory)
    {
        Lint = lint;
        Translations = translations;
        Directory = directory;
    }

    public static string TemplatePath => Path.Combine(TestAssets.RepositoryRoot, "template.yaml");

    /// <summary><c>cfn-lint TEMPLATE</c>, exactly as a user runs it.</summary>
    public CommandRun Lint { get; }

    /// <summary>Combination name (<c>JWT-origins-arm64</c>) → <c>"ok"</c> or SAM's error.</summary>
    public JsonObject Translations { get; }

    /// <summary>Where the translated templates are (<c>&lt;combination&gt;.json</c>, and <c>template.json</c> as read).</summary>
    public string Directory { get; }

    public static async Task<SamCheck> RunAsync(string template, string outputDirectory)
    {
        var lint = CommandRun.RunAsync(AwsTools.Find("cfn-lint"), [template], TimeSpan.FromMinutes(3));
        var script = Path.Combine(TestAssets.RepositoryRoot, "tests", "ClassifierFunction.Tests", "Template", "sam_check.py");
        var sam = await CommandRun.RunAsync(AwsTools.Python, [script, template, "--output", outputDirectory], TimeSpan.FromMinutes(3));
        var report = JsonNode.Parse(sam.Stdout) as JsonObject
            ?? throw new InvalidOperationException($"sam_check.py printed no report: {sam}");
        return new SamCheck(await lint, report["translations"]!.AsObject(), outputDirectory);
    }

    /// <summary>The translated template of one combination.</summary>
    public JsonObject Translated(string combination) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, combination + ".json")))!.AsObject();

    /// <summary>The translated template of <paramref name="combination"/> with its parameters resolved.</summary>
    public ResolvedTemplate Resolved(string combination) => Resolve(Translated(combination), combination);

    public static ResolvedTemplate Resolve(JsonObject translated, string combination)
    {
        var parts = combination.Split('-');
        var parameters = new Dictionary<string, JsonNode?>
        {
            ["ApiAuth"] = parts[0],
            ["AllowedOrigins"] = parts[1] == "origins" ? new JsonArray("https://example.com", "http://localhost:5000") : new JsonArray(),
            ["Architecture"] = parts[^1],
        };
        if (parts[0] == "JWT")
        {
            parameters["JwtIssuer"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example";
            parameters["JwtAudience"] = new JsonArray("example-client-id");
        }

        return new ResolvedTemplate(translated, parameters);
    }

    /// <summary>The twelve combinations sam_check.py translates.</summary>
    public static TheoryData<string> Combinations()
    {
        var data = new TheoryData<string>();
        foreach (var auth in new[] { "NONE", "AWS_IAM", "JWT" })
        {
            foreach (var origins in new[] { "no-origins", "origins" })
            {
                foreach (var architecture in new[] { "x86_64", "arm64" })
                {
                    data.Add($"{auth}-{origins}-{architecture}");
                }
            }
        }

        return data;
    }
}
