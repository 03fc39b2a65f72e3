namespace Mic.Trainer.Tests.Retraining;

/// <summary>The real <c>mic-train</c> from this test's output folder, with AWS settings for a local emulator in its environment.</summary>
internal static class MicTrainCli
{
    public static Task<CommandRun> RunAsync(Uri endpoint, params string[] args)
    {
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        return CommandRun.RunAsync(dotnet, [Path.Combine(AppContext.BaseDirectory, "mic-train.dll"), .. args,
            "--endpoint-url", endpoint.ToString(), "--region", "us-east-1"], TimeSpan.FromMinutes(2),
            new Dictionary<string, string?>
            {
                // moto checks no signature; the default credential chain must still find some.
                ["AWS_ACCESS_KEY_ID"] = "AKIDMICTEST",
                ["AWS_SECRET_ACCESS_KEY"] = "mic-test-secret",
                ["AWS_SESSION_TOKEN"] = null,
                ["AWS_PROFILE"] = null,
                ["MIC_JOB_QUEUE"] = null,
                ["MIC_JOB_DEFINITION"] = null,
            });
    }
}
