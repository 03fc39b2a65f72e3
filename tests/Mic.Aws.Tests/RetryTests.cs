using Mic.Aws.Batch;

namespace Mic.Aws.Tests;

/// <summary>Throttling, server errors and broken connections are retried, each attempt signed afresh; then a one-line error.</summary>
public sealed class RetryTests(MotoFixture fixture) : IClassFixture<MotoFixture>
{
    private readonly MotoServer _moto = fixture.Server;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoFailures_ThirdAttemptAnswers(bool brokenConnection)
    {
        var faults = new FaultInjectingHandler(2, brokenConnection, new SocketsHttpHandler());
        using var http = new HttpClient(faults);
        using var batch = new BatchClient(Moto.Options(_moto), http);

        var error = await Assert.ThrowsAsync<BatchJobQueueNotFoundException>(() => batch.GetJobQueueAsync("mic-training", CancellationToken.None));

        Assert.Equal("mic-training", error.JobQueue); // moto's real answer, reached on the third attempt
        Assert.Equal(3, faults.Requests);
    }

    [Fact]
    public async Task ServerErrorEveryTime_FailsAfterMaxAttemptsWithServiceError()
    {
        var faults = new FaultInjectingHandler(int.MaxValue, brokenConnection: false, new SocketsHttpHandler());
        using var http = new HttpClient(faults);
        using var batch = new BatchClient(Moto.Options(_moto) with { MaxAttempts = 2 }, http);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => batch.GetJobQueueAsync("mic-training", CancellationToken.None));

        Assert.Equal(2, faults.Requests);
        Assert.Equal("AWS Batch DescribeJobQueues: ServerException: Service is temporarily unavailable (HTTP 503)", error.Message);
    }

    [Fact]
    public async Task BrokenConnectionEveryTime_FailsNamingTheEndpoint()
    {
        var faults = new FaultInjectingHandler(int.MaxValue, brokenConnection: true, new SocketsHttpHandler());
        using var http = new HttpClient(faults);
        using var batch = new BatchClient(Moto.Options(_moto), http);

        var error = await Assert.ThrowsAsync<AwsException>(() => batch.GetJobQueueAsync("mic-training", CancellationToken.None));

        Assert.Equal(3, faults.Requests);
        Assert.Equal($"AWS Batch DescribeJobQueues: {_moto.Endpoint} failed after 3 attempt(s): Connection reset by peer", error.Message);
    }

    [Fact]
    public async Task ClientError_NotRetried()
    {
        var recorder = new RecordingHandler(new SocketsHttpHandler());
        using var http = new HttpClient(recorder);
        using var batch = new BatchClient(Moto.Options(_moto), http);

        await Assert.ThrowsAsync<AwsServiceException>(() => batch.TerminateJobAsync("", "no job id", CancellationToken.None));

        Assert.Single(recorder.Requests);
    }
}
