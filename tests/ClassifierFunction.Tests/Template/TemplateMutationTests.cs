namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// The tool run in <see cref="TemplateTests"/> can fail: a copy of template.yaml broken in one place is refused by
/// cfn-lint, and where the break is one SAM itself refuses, by SAM's transform for every combination.
/// </summary>
public sealed class TemplateMutationTests
{
    public static TheoryData<string, string, string, string?> Mutations => new()
    {
        {
            // What issue 20 found: SAM takes no intrinsic function around the HTTP API's Auth.
            "Fn::If around the API's Auth",
            "      DefaultRouteSettings:\n",
            "      Auth: !If\n        - UseIam\n        - EnableIamAuthorizer: true\n          DefaultAuthorizer: AWS_IAM\n        - !Ref AWS::NoValue\n      DefaultRouteSettings:\n",
            "Invalid value for 'Auth' property"
        },
        { "misspelt SAM property", "      Timeout: 60\n", "      Timeout: 60\n      MemorySzie: 1024\n", "MemorySzie" },
        { "wrong type", "      VisibilityTimeout: 360\n", "      VisibilityTimeout: [360]\n", null },
        { "misspelt bucket property", "      VersioningConfiguration:\n", "      VersioningConfig:\n", null },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public async Task Tools_BrokenTemplate_Refuse(string mutation, string find, string replace, string? samError)
    {
        using var temp = new TempDirectory();
        var text = await File.ReadAllTextAsync(SamCheck.TemplatePath);
        Assert.True(text.Contains(find, StringComparison.Ordinal), $"{mutation}: '{find.Trim()}' is no longer in template.yaml");
        var broken = temp.Combine("template.yaml");
        await File.WriteAllTextAsync(broken, text.Replace(find, replace, StringComparison.Ordinal));

        var check = await SamCheck.RunAsync(broken, temp.Combine("out"));

        Assert.True(check.Lint.ExitCode != 0 && check.Lint.Stdout.Contains("template.yaml:", StringComparison.Ordinal), $"{mutation}: {check.Lint}");
        if (samError is not null)
        {
            Assert.Contains(samError, check.Lint.Stdout, StringComparison.Ordinal);
            Assert.All(check.Translations, t => Assert.Contains(samError, t.Value!.ToString(), StringComparison.Ordinal));
        }
    }
}
