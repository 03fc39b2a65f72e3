namespace Mic.Infra.Tests;

/// <summary>The parameter values that change which resources infra/training.yaml creates, by name.</summary>
internal static class ParameterCombinations
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> All { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["defaults"] = TrainingTemplate.With(),
            ["on-demand only"] = TrainingTemplate.With(("UseSpot", "false")),
            ["schedule off"] = TrainingTemplate.With(("ScheduleState", "DISABLED")),
            ["e-mail"] = TrainingTemplate.With(("NotificationEmail", "ops@example.com")),
            ["existing network"] = TrainingTemplate.With(("Subnets", "subnet-0a1b2c3d,subnet-0e4f5a6b"), ("SecurityGroupIds", "sg-0c7d8e9f")),
        };

    public static TheoryData<string> Names() => [.. All.Keys];
}
