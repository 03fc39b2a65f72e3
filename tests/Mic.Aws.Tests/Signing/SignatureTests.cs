using Amazon.Runtime;
using Mic.Aws.Batch;
using Mic.Aws.Logs;

namespace Mic.Aws.Tests.Signing;

/// <summary>
/// MIC's SigV4 signature (AWSSDK.Core's signer) against botocore's for the very request MIC sent, same time and
/// credentials. moto answers the requests but checks no signature, so this comparison is what does.
/// </summary>
public sealed class SignatureTests(MotoFixture fixture) : IClassFixture<MotoFixture>
{
    private static readonly DateTimeOffset SignedAt = new(2026, 12, 3, 12, 34, 56, TimeSpan.Zero);
    private readonly MotoServer _moto = fixture.Server;

    [Fact]
    public async Task BatchRequest_RegionalHostWithSessionToken_SameAuthorizationAsBotocore()
    {
        var recorder = RecordingHandler.Routed(_moto);
        using var http = new HttpClient(recorder);
        var options = new AwsClientOptions
        {
            ServiceUrl = new Uri("http://batch.eu-west-1.amazonaws.com"),
            Region = "eu-west-1",
            Credentials = new SessionAWSCredentials("AKIDMICSIGNING", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token/with+chars="),
            TimeProvider = new FixedClock(SignedAt),
        };
        using var batch = new BatchClient(options, http);

        await Assert.ThrowsAsync<BatchJobQueueNotFoundException>(() => batch.GetJobQueueAsync("mic-training", CancellationToken.None));

        var sent = Assert.Single(recorder.Requests);
        Assert.Equal("batch.eu-west-1.amazonaws.com", sent.Uri.Authority);
        Assert.Equal("session-token/with+chars=", sent.Header("X-Amz-Security-Token"));
        var expected = await BotocoreSigner.SignAsync(sent, "AKIDMICSIGNING", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token/with+chars=",
            "eu-west-1", "batch", SignedAt);
        Assert.Equal(expected, sent.Header("Authorization"));
        Assert.Contains("Credential=AKIDMICSIGNING/20261203/eu-west-1/batch/aws4_request", expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsRequest_TargetHeaderAndPort_SameAuthorizationAsBotocore()
    {
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var http = new HttpClient(recorder);
        var options = Moto.Options(_moto) with { TimeProvider = new FixedClock(SignedAt) };
        using var logs = new CloudWatchLogsClient(options, http);

        await Assert.ThrowsAsync<AwsServiceException>(() => logs.GetLogEventsAsync("/mic/none", "none", "f/123", 50, CancellationToken.None));

        var sent = Assert.Single(recorder.Requests);
        Assert.Equal($"127.0.0.1:{_moto.Port}", sent.Uri.Authority);
        Assert.Equal("Logs_20140328.GetLogEvents", sent.Header("X-Amz-Target"));
        var expected = await BotocoreSigner.SignAsync(sent, "AKIDMICTEST", "mic-test-secret", null, "us-east-1", "logs", SignedAt);
        Assert.Equal(expected, sent.Header("Authorization"));
        Assert.Contains("x-amz-target", expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedRequest_OtherSecret_DifferentAuthorization()
    {
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var http = new HttpClient(recorder);
        using var batch = new BatchClient(Moto.Options(_moto) with { TimeProvider = new FixedClock(SignedAt) }, http);
        await Assert.ThrowsAsync<BatchJobQueueNotFoundException>(() => batch.GetJobQueueAsync("mic-training", CancellationToken.None));

        var sent = Assert.Single(recorder.Requests);
        var withOtherSecret = await BotocoreSigner.SignAsync(sent, "AKIDMICTEST", "another-secret", null, "us-east-1", "batch", SignedAt);

        Assert.NotEqual(withOtherSecret, sent.Header("Authorization"));
    }
}
