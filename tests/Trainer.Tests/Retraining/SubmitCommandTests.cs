using Amazon.Runtime;
using Mic.Aws;
using Mic.Aws.Batch;
using Mic.Trainer.Cli;

namespace Mic.Trainer.Tests.Retraining;

/// <summary>
/// <c>mic-train submit</c> and <c>mic-train jobs</c> against a real moto_server, whose Batch (without Docker) ends a
/// job SUCCEEDED as soon as it is submitted; botocore seeds the queue and reads the job back.
/// </summary>
public sealed class SubmitCommandTests(MotoFixture fixture) : IClassFixture<MotoFixture>
{
    private readonly MotoServer _moto = fixture.Server;

    [Fact]
    public async Task Submit_KnownQueue_SubmitsWithTheParametersAndFollowsToSucceeded()
    {
        var (queue, definition) = await SeedAsync(_moto);

        var run = await MicTrainCli.RunAsync(_moto.Endpoint, "submit", "--queue", queue.Name, "--job-definition", definition.Name,
            "--dataset", "bikes", "--epochs", "6", "--force", "--poll-seconds", "0.2");

        Assert.True(run.ExitCode == 0, run.ToString());
        var jobId = run.Stdout.Split(' ', 4)[2];
        Assert.StartsWith($"submitted job {jobId} (mic-retrain-", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("with dataset=bikes, epochs=6, force=true", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(" SUCCEEDED", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"job {jobId} SUCCEEDED", run.Stdout, StringComparison.Ordinal);
        var seen = await BotocorePeer.DescribeJobAsync(_moto, jobId);
        Assert.Equal(queue.Arn, seen.GetProperty("jobQueue").GetString());
        Assert.Equal(definition.Arn, seen.GetProperty("jobDefinition").GetString());
        var parameters = seen.GetProperty("parameters");
        Assert.Equal("bikes", parameters.GetProperty("dataset").GetString());
        Assert.Equal("6", parameters.GetProperty("epochs").GetString());
        Assert.Equal("true", parameters.GetProperty("force").GetString());
        Assert.Equal("224", parameters.GetProperty("imageSize").GetString()); // not given: the definition's default
    }

    [Fact]
    public async Task Jobs_WithJobId_ShowsTheTrainersLogAndItsSummary()
    {
        var (queue, definition) = await SeedAsync(_moto);
        using var batch = new BatchClient(Options(_moto));
        var submitted = await batch.SubmitJobAsync(new JobSubmission("mic-retrain-test", queue.Name, definition.Name), CancellationToken.None);
        var job = (await batch.DescribeJobAsync(submitted.JobId, CancellationToken.None))!;
        await BotocorePeer.PutLinesAsync(_moto, job.LogGroup!, job.LogStreamName!,
            "epoch 1/2 (frozen): train loss 0.9000, valid loss 0.8000, accuracy 75.00%, 3.0 s, 40 img/s",
            """{"mic":"retrain-summary","outcome":"published","published":true,"reason":"published to s3://b/models/20261203-101010/; it is live","exitCode":0,"version":"20261203-101010","accuracy":0.9375}""");

        var run = await MicTrainCli.RunAsync(_moto.Endpoint, "jobs", submitted.JobId, "--poll-seconds", "0.2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("  | epoch 1/2 (frozen): train loss 0.9000", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"job {submitted.JobId} SUCCEEDED: published 20261203-101010 (accuracy 93.75 %); it is live", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_List_ShowsRecentJobsWithStatus()
    {
        var (queue, definition) = await SeedAsync(_moto);
        using var batch = new BatchClient(Options(_moto));
        var submitted = await batch.SubmitJobAsync(new JobSubmission("mic-retrain-listed", queue.Name, definition.Name), CancellationToken.None);

        var run = await MicTrainCli.RunAsync(_moto.Endpoint, "jobs", "--queue", queue.Name);

        Assert.True(run.ExitCode == 0, run.ToString());
        var line = Assert.Single(run.Stdout.Split('\n'), l => l.StartsWith(submitted.JobId, StringComparison.Ordinal));
        Assert.Contains("mic-retrain-listed", line, StringComparison.Ordinal);
        Assert.Contains("SUCCEEDED", line, StringComparison.Ordinal);
        Assert.Contains($"1 job(s) in {queue.Name}", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_UnknownQueue_OneLineError()
    {
        var (_, definition) = await SeedAsync(_moto);

        var run = await MicTrainCli.RunAsync(_moto.Endpoint, "submit", "--queue", "no-such-queue", "--job-definition", definition.Name);

        Assert.True(run.ExitCode == CommandLine.InputError, run.ToString());
        Assert.Equal("error: AWS Batch job queue 'no-such-queue' does not exist in us-east-1 (check the stack's JobQueue output and the region)",
            run.Stderr.Trim());
        Assert.Empty(run.Stdout.Trim());
    }

    [Fact]
    public async Task Submit_WithoutQueue_NamesTheOptionAndTheVariable()
    {
        var run = await MicTrainCli.RunAsync(_moto.Endpoint, "submit", "--job-definition", "mic-trainer");

        Assert.True(run.ExitCode == CommandLine.InputError, run.ToString());
        Assert.Equal("error: --queue is not set and neither is MIC_JOB_QUEUE (the stack's TrainingJobQueue output)", run.Stderr.Trim());
    }

    internal static AwsClientOptions Options(MotoServer moto) => new()
    {
        ServiceUrl = moto.Endpoint,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDMICTEST", "mic-test-secret"),
    };

    internal static async Task<((string Name, string Arn) Queue, (string Name, string Arn) Definition)> SeedAsync(MotoServer moto)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var (queueArn, definitionArn) = await BotocorePeer.SeedBatchAsync(moto, $"mic-queue-{suffix}", $"mic-trainer-{suffix}");
        return (($"mic-queue-{suffix}", queueArn), ($"mic-trainer-{suffix}", definitionArn));
    }
}
