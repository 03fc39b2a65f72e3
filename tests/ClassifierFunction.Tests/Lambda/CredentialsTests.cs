namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>
/// With no static keys configured, the published function signs its S3 requests with the AWS SDK's default credential
/// chain, temporary credentials included: the environment Lambda gives a role (with <c>AWS_SESSION_TOKEN</c>), and a
/// shared credentials profile. The process runs under <see cref="FakeRuntimeApi"/> with the environment Lambda would
/// set; the S3 endpoint is a recording stand-in, so the signature itself is what is checked.
/// </summary>
public sealed class CredentialsTests(PublishedFunction function) : IClassFixture<PublishedFunction>, IDisposable
{
    private const string Bucket = "mic-images-123456789012-eu-west-1";
    private readonly TempDirectory _temp = new();
    private readonly RecordingS3Server _s3 = new();

    public void Dispose()
    {
        _s3.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task RoleCredentialsFromTheEnvironment_SignWithTheSessionToken()
    {
        var environment = Environment();
        environment["AWS_ACCESS_KEY_ID"] = "ASIAROLEEXAMPLE00001";
        environment["AWS_SECRET_ACCESS_KEY"] = "role-secret";
        environment["AWS_SESSION_TOKEN"] = "role-session-token-1";

        await AssertSignedWithAsync(environment, "ASIAROLEEXAMPLE00001", "role-session-token-1");
    }

    [Fact]
    public async Task SharedProfileWithSessionToken_IsUsed()
    {
        var credentials = _temp.Combine("credentials");
        await File.WriteAllTextAsync(credentials,
            "[mic-sso]\naws_access_key_id = ASIAPROFILEEXAMPLE01\naws_secret_access_key = profile-secret\naws_session_token = profile-session-token-2\n");
        await File.WriteAllTextAsync(_temp.Combine("config"), "[profile mic-sso]\nregion = eu-west-1\n");
        var environment = Environment();
        environment["AWS_SHARED_CREDENTIALS_FILE"] = credentials;
        environment["AWS_CONFIG_FILE"] = _temp.Combine("config");
        environment["AWS_PROFILE"] = "mic-sso";

        await AssertSignedWithAsync(environment, "ASIAPROFILEEXAMPLE01", "profile-session-token-2");
    }

    private async Task AssertSignedWithAsync(Dictionary<string, string> environment, string accessKey, string sessionToken)
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        environment["AWS_LAMBDA_RUNTIME_API"] = runtime.Address;
        await using var process = LambdaProcess.Start(Path.Combine(function.Directory, "bootstrap"), [], environment);

        var result = await runtime.InvokeAsync(LambdaEvents.HttpApiV2("GET", "/healthz").ToJsonString(), timeout: TimeSpan.FromSeconds(60));

        // The store answered "no such key": no model yet, a 503 that names neither the bucket nor the account.
        Assert.True(result.Kind == "response", string.Join('\n', process.Output));
        using var response = result.Json();
        Assert.Equal(503, response.RootElement.GetProperty("statusCode").GetInt32());
        var body = response.RootElement.GetProperty("body").GetString()!;
        Assert.DoesNotContain(Bucket, body, StringComparison.Ordinal);
        Assert.DoesNotContain("123456789012", body, StringComparison.Ordinal);

        var reads = _s3.Requests.Where(r => r.Path == $"/{Bucket}/models/latest.json").ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, read =>
        {
            Assert.Contains($"Credential={accessKey}/", read.Headers["Authorization"], StringComparison.Ordinal);
            Assert.Equal(sessionToken, read.Headers["x-amz-security-token"]);
        });
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Mic__ModelStore"] = $"s3://{Bucket}",
        ["Mic__CacheDirectory"] = _temp.Combine("cache"),
        ["Mic__IntraOpThreads"] = "1",
        ["Mic__S3__ServiceUrl"] = _s3.Endpoint,
        ["Mic__S3__ForcePathStyle"] = "true",
    };
}
