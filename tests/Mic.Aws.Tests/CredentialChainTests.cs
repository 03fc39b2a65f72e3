using Amazon.Runtime;
using Mic.Aws.Batch;

namespace Mic.Aws.Tests;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// Options left empty: region and credentials come from the SDK's default chain. These tests set process environment
/// variables, so they run alone (their collection is not parallelised) and restore them.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class CredentialChainTests(MotoFixture fixture) : IClassFixture<MotoFixture>, IDisposable
{
    private static readonly string[] Variables =
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_EC2_METADATA_DISABLED"];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    [Fact]
    public async Task EnvironmentWithSessionToken_SignsWithThoseCredentialsAndRegion()
    {
        Set("AWS_ACCESS_KEY_ID", "AKIDFROMENV");
        Set("AWS_SECRET_ACCESS_KEY", "secret-from-env");
        Set("AWS_SESSION_TOKEN", "token-from-env");
        Set("AWS_REGION", "eu-west-2");
        FallbackRegionFactory.Reset();
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var http = new HttpClient(recorder);
        using var batch = new BatchClient(new AwsClientOptions { ServiceUrl = fixture.Server.Endpoint }, http);

        var error = await Assert.ThrowsAsync<BatchJobQueueNotFoundException>(() => batch.GetJobQueueAsync("mic-training", CancellationToken.None));

        Assert.Equal("eu-west-2", error.Region);
        var sent = Assert.Single(recorder.Requests);
        Assert.Equal("token-from-env", sent.Header("X-Amz-Security-Token"));
        Assert.Matches("^AWS4-HMAC-SHA256 Credential=AKIDFROMENV/[0-9]{8}/eu-west-2/batch/aws4_request, ", sent.Header("Authorization"));
    }

    [Fact]
    public async Task ProfileThatDoesNotExist_OneLineErrorNamingIt()
    {
        foreach (var name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" })
        {
            Set(name, null);
        }

        var profile = Moto.Name("mic-missing");
        Set("AWS_PROFILE", profile);
        Set("AWS_EC2_METADATA_DISABLED", "true");
        using var batch = new BatchClient(new AwsClientOptions { ServiceUrl = fixture.Server.Endpoint, Region = "us-east-1" });

        var error = await Assert.ThrowsAsync<AwsConfigurationException>(() => batch.GetJobQueueAsync("mic-training", CancellationToken.None));

        Assert.Contains($"\"{profile}\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        FallbackRegionFactory.Reset();
    }

    private static void Set(string name, string? value) => Environment.SetEnvironmentVariable(name, value);
}
