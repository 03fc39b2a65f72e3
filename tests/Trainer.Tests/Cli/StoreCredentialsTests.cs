namespace Mic.Trainer.Tests.Cli;

/// <summary>
/// The trainer signs its S3 requests with the AWS SDK's default credential chain, so temporary credentials (SSO,
/// assumed roles, a Batch job's role: all carry <c>AWS_SESSION_TOKEN</c>) work. The real <c>mic-train</c> runs against
/// a recording S3 stand-in, which shows the signature's access key and security token.
/// </summary>
public sealed class StoreCredentialsTests : IDisposable
{
    private const string Bucket = "mic-images-123456789012-eu-west-1";
    private readonly RecordingS3Server _s3 = new();

    public void Dispose() => _s3.Dispose();

    [Theory]
    [InlineData("list", "--store", "s3://" + Bucket, "--store-s3-service-url")]
    [InlineData("retrain", "--store", "s3://" + Bucket, "--dataset", "main", "--work-dir", "", "--s3-service-url")]
    public async Task TemporaryCredentialsFromTheEnvironment_SignWithTheSessionToken(params string[] args)
    {
        using var work = new TempDirectory();
        args = [.. args.Select(a => a.Length == 0 ? work.Path : a), _s3.Endpoint];
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

        var run = await CommandRun.RunAsync(dotnet, [Path.Combine(AppContext.BaseDirectory, "mic-train.dll"), .. args], TimeSpan.FromMinutes(2),
            new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = "ASIAROLEEXAMPLE00001",
                ["AWS_SECRET_ACCESS_KEY"] = "role-secret",
                ["AWS_SESSION_TOKEN"] = "role-session-token-1",
                ["AWS_REGION"] = "eu-west-1",
                ["AWS_PROFILE"] = null,
            });

        // The stand-in answers every request with NoSuchKey, so the command fails; what matters is how it signed.
        var signed = _s3.Requests.Where(r => r.Path.StartsWith($"/{Bucket}", StringComparison.Ordinal)).ToList();
        Assert.True(signed.Count > 0, run.Stdout + run.Stderr);
        Assert.All(signed, request =>
        {
            Assert.Contains("Credential=ASIAROLEEXAMPLE00001/", request.Headers["Authorization"], StringComparison.Ordinal);
            Assert.Equal("role-session-token-1", request.Headers["x-amz-security-token"]);
        });
    }
}
