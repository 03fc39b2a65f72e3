using Mic.Aws.Batch;
using Mic.Trainer.Retraining;

namespace Mic.Trainer.Tests.Retraining;

/// <summary>A moto_server whose Batch jobs fail (MOTO_SIMPLE_BATCH_FAIL_AFTER=0): <c>submit</c> and <c>jobs</c> end on FAILED.</summary>
public sealed class FailedJobSubmitTests : IAsyncLifetime
{
    private MotoServer _moto = null!;

    public async Task InitializeAsync() =>
        _moto = await MotoServer.StartAsync(new Dictionary<string, string> { ["MOTO_SIMPLE_BATCH_FAIL_AFTER"] = "0" });

    public async Task DisposeAsync() => await _moto.DisposeAsync();

    [Fact]
    public async Task Submit_JobFails_FollowsToFailedAndExitsWithJobFailed()
    {
        var (queue, definition) = await SubmitCommandTests.SeedAsync(_moto);

        var run = await MicTrainCli.RunAsync(_moto.Endpoint, "submit", "--queue", queue.Name, "--job-definition", definition.Name, "--poll-seconds", "0.2");

        Assert.True(run.ExitCode == JobReport.JobFailed, run.ToString());
        var jobId = run.Stdout.Split(' ', 4)[2];
        Assert.Contains(" FAILED", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"job {jobId} FAILED: ", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_FailedJobWithReasonAndSummary_ShowsBatchsReasonAndTheTrainersExitCode()
    {
        var (queue, definition) = await SubmitCommandTests.SeedAsync(_moto);
        using var batch = new BatchClient(SubmitCommandTests.Options(_moto));
        var submitted = await batch.SubmitJobAsync(new JobSubmission("mic-retrain-test", queue.Name, definition.Name), CancellationToken.None);
        await batch.TerminateJobAsync(submitted.JobId, "Essential container in task exited", CancellationToken.None);
        var job = (await batch.DescribeJobAsync(submitted.JobId, CancellationToken.None))!;
        await BotocorePeer.PutLinesAsync(_moto, job.LogGroup!, job.LogStreamName!,
            "champion vs challenger: challenger 50.00% vs live v1 90.00% on the same 8 held-out images (-40.00 points, margin -0.50)",
            """{"mic":"retrain-summary","outcome":"champion-kept","published":false,"reason":"the live model stays: challenger 50.00% vs live v1 90.00%","exitCode":4,"version":"v2","accuracy":0.5}""");

        var run = await MicTrainCli.RunAsync(_moto.Endpoint, "jobs", submitted.JobId);

        Assert.True(run.ExitCode == RetrainExitCodes.ChampionKept, run.ToString());
        Assert.Contains(" FAILED: Essential container in task exited", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  | champion vs challenger: challenger 50.00%", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"job {submitted.JobId} FAILED: not published (champion-kept): the live model stays: challenger 50.00% vs live v1 90.00%",
            run.Stdout, StringComparison.Ordinal);
    }
}
