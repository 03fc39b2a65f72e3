using Amazon.Runtime;

namespace Mic.Aws.Tests;

/// <summary>Client options for a moto server: its endpoint, us-east-1, and any fixed credentials (moto checks none).</summary>
internal static class Moto
{
    public static AwsClientOptions Options(MotoServer moto) => new()
    {
        ServiceUrl = moto.Endpoint,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDMICTEST", "mic-test-secret"),
    };

    /// <summary>A fresh name for a test's own queue, job definition or log stream.</summary>
    public static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
