using Mic.Aws.Batch;

namespace Mic.Aws.Tests.Batch;

/// <summary>A moto_server whose Batch jobs fail (MOTO_SIMPLE_BATCH_FAIL_AFTER=0), so a job ends FAILED.</summary>
public sealed class FailedJobTests : IAsyncLifetime
{
    private MotoServer _moto = null!;

    public async Task InitializeAsync() =>
        _moto = await MotoServer.StartAsync(new Dictionary<string, string> { ["MOTO_SIMPLE_BATCH_FAIL_AFTER"] = "0" });

    public async Task DisposeAsync() => await _moto.DisposeAsync();

    [Fact]
    public async Task TerminateJob_WithReason_FailedWithThatReasonInDescribeAndList()
    {
        var queue = Moto.Name("mic-queue");
        var definition = Moto.Name("mic-trainer");
        await BotocorePeer.SeedBatchAsync(_moto, queue, definition);
        using var batch = new BatchClient(Moto.Options(_moto));
        var submitted = await batch.SubmitJobAsync(new JobSubmission("mic-retrain", queue, definition), CancellationToken.None);

        await batch.TerminateJobAsync(submitted.JobId, "stopped from mic-train", CancellationToken.None);

        var job = await batch.DescribeJobAsync(submitted.JobId, CancellationToken.None);
        Assert.NotNull(job);
        Assert.Equal(BatchJobStatus.Failed, job.Status);
        Assert.True(job.IsFinished);
        Assert.Equal("stopped from mic-train", job.StatusReason);
        var listed = Assert.Single(await batch.ListJobsAsync(queue, BatchJobStatus.Failed, CancellationToken.None));
        Assert.Equal("stopped from mic-train", listed.StatusReason);
    }
}
