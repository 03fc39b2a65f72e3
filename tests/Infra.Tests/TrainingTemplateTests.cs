using System.Text.Json.Nodes;

namespace Mic.Infra.Tests;

/// <summary>
/// infra/training.yaml: the real cfn-lint and SAM's real translator over every parameter combination that changes
/// resources, the project's own checks (<see cref="TrainingTemplateChecks"/>), and broken copies that must fail.
/// </summary>
public sealed class TrainingTemplateTests(TransformedTemplates transformed) : IClassFixture<TransformedTemplates>
{
    [Theory]
    [MemberData(nameof(ParameterCombinations.Names), MemberType = typeof(ParameterCombinations))]
    public async Task CfnLint_ParameterCombination_NoErrorsOrWarnings(string combination)
    {
        var lint = await TrainingTemplate.LintAsync(TrainingTemplate.Path, ParameterCombinations.All[combination]);

        Assert.True(lint.ExitCode == 0 && lint.Stdout.Length == 0, $"cfn-lint exited {lint.ExitCode}:\n{lint.Stdout}{lint.Stderr}");
    }

    [Theory]
    [InlineData("        MaxvCpus: !Ref MaxvCpus\n", "        MaxvCpu: !Ref MaxvCpus\n", "E3002")]
    [InlineData("AllocationStrategy: SPOT_PRICE_CAPACITY_OPTIMIZED", "AllocationStrategy: SPOT_CHEAPEST", "E3030")]
    [InlineData("!GetAtt ScheduleRole.Arn", "!GetAtt SchedulerRole.Arn", "E1010")]
    [InlineData("MaxTimeSeconds: !Ref RunnableTimeoutSeconds\n          Reason: CAPACITY", "MaxTimeSeconds: 60\n          Reason: CAPACITY", "E3034")]
    public async Task CfnLint_BrokenCopy_Fails(string find, string replace, string rule)
    {
        using var folder = new TempDirectory();
        var broken = Mutate(find, replace, folder);

        var lint = await TrainingTemplate.LintAsync(broken, TrainingTemplate.Required);

        Assert.NotEqual(0, lint.ExitCode);
        Assert.Contains(rule, lint.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ParameterCombinations.Names), MemberType = typeof(ParameterCombinations))]
    public void Checks_ParameterCombination_NoFindings(string combination)
    {
        var findings = TrainingTemplateChecks.Check(transformed.Model(combination));

        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    [Theory]
    [MemberData(nameof(BrokenCopies.Indexes), MemberType = typeof(BrokenCopies))]
    public void Checks_BrokenCopy_Found(int index)
    {
        var (copy, model, error) = transformed.Broken(index);

        Assert.True(model is not null, $"SAM's transform refused the copy with {copy.Replace}: {error}");
        var findings = TrainingTemplateChecks.Check(model);
        Assert.True(findings.Any(f => f.Contains(copy.Finding, StringComparison.Ordinal)),
            $"no finding '{copy.Finding}' for {copy.Find} -> {copy.Replace}; found:\n{string.Join('\n', findings)}");
    }

    [Fact]
    public async Task SamTransform_ConnectorToMissingTopic_Refused()
    {
        using var folder = new TempDirectory();
        var broken = Mutate("      Destination:\n        Id: FailureTopic", "      Destination:\n        Id: FailureTopics", folder);

        var (template, error) = (await TrainingTemplate.TransformAsync([(broken, TrainingTemplate.Required)]))[0];

        Assert.Null(template);
        Assert.Contains("FailureTopics", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_SpotFirstThenOnDemandInOwnVpcScheduleEnabledNoEmail()
    {
        var model = transformed.Model("defaults");

        Assert.Equal(["<ref SpotComputeEnvironment>", "<ref OnDemandComputeEnvironment>"], QueueOrder(model));
        Assert.True(model.IsActive("Vpc"));
        Assert.Equal(["<ref SubnetA>", "<ref SubnetB>"], Strings(ComputeResources(model, "OnDemandComputeEnvironment")["Subnets"]));
        Assert.Equal("ENABLED", Properties(model, "Schedule")["State"]!.ToString());
        Assert.Equal("cron(0 3 ? * SUN *)", Properties(model, "Schedule")["ScheduleExpression"]!.ToString());
        Assert.False(model.IsActive("FailureEmail"));
        Assert.True(model.IsActive("JobFailedRuleToTopicTopicPolicy")); // the connector's topic policy
    }

    [Fact]
    public void OnDemandOnly_NoSpotEnvironmentAndQueueHasOnlyOnDemand()
    {
        var model = transformed.Model("on-demand only");

        Assert.False(model.IsActive("SpotComputeEnvironment"));
        Assert.Equal(["<ref OnDemandComputeEnvironment>"], QueueOrder(model));
    }

    [Fact]
    public void ScheduleOff_ScheduleKeptButDisabled()
    {
        var model = transformed.Model("schedule off");

        Assert.Equal("DISABLED", Properties(model, "Schedule")["State"]!.ToString());
    }

    [Fact]
    public void Email_SubscribedToTheFailureTopic()
    {
        var model = transformed.Model("e-mail");

        var subscription = Properties(model, "FailureEmail");
        Assert.Equal("email", subscription["Protocol"]!.ToString());
        Assert.Equal("ops@example.com", subscription["Endpoint"]!.ToString());
        Assert.Equal("<ref FailureTopic>", subscription["TopicArn"]!.ToString());
    }

    [Fact]
    public void ExistingNetwork_NoVpcCreatedAndBothEnvironmentsUseTheGivenSubnetsAndGroups()
    {
        var model = transformed.Model("existing network");

        Assert.DoesNotContain(model.Active(), r => r.Type.StartsWith("AWS::EC2::", StringComparison.Ordinal));
        foreach (var environment in new[] { "SpotComputeEnvironment", "OnDemandComputeEnvironment" })
        {
            Assert.Equal(["subnet-0a1b2c3d", "subnet-0e4f5a6b"], Strings(ComputeResources(model, environment)["Subnets"]));
            Assert.Equal(["sg-0c7d8e9f"], Strings(ComputeResources(model, environment)["SecurityGroupIds"]));
        }
    }

    private static string Mutate(string find, string replace, TempDirectory folder)
    {
        var path = folder.Combine("training.yaml");
        File.WriteAllText(path, BrokenCopies.Apply(File.ReadAllText(TrainingTemplate.Path), find, replace));
        return path;
    }

    private static JsonObject Properties(TemplateModel model, string name) => model.Active().Single(r => r.Name == name).Properties;

    private static JsonNode ComputeResources(TemplateModel model, string name) => Properties(model, name)["ComputeResources"]!;

    private static IEnumerable<string> QueueOrder(TemplateModel model) =>
        (Properties(model, "JobQueue")["ComputeEnvironmentOrder"] as JsonArray ?? [])
            .OrderBy(o => o!["Order"]!.GetValue<int>()).Select(o => o!["ComputeEnvironment"]!.ToString());

    private static IEnumerable<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Select(n => n!.ToString());
}
