using Mic.Aws.Batch;

namespace Mic.Aws.Tests.Batch;

/// <summary>MIC's Batch client against a real moto_server; botocore seeds each test's own queue and reads jobs back.</summary>
public sealed class BatchClientTests(MotoFixture fixture) : IClassFixture<MotoFixture>
{
    private readonly MotoServer _moto = fixture.Server;

    [Fact]
    public async Task SubmitJob_KnownQueue_JobCarriesQueueDefinitionParametersAndEnvironment()
    {
        var (queue, definition) = await SeedAsync();
        using var batch = new BatchClient(Moto.Options(_moto));

        var submitted = await batch.SubmitJobAsync(new JobSubmission("mic-retrain", queue.Name, definition.Name)
        {
            Parameters = new Dictionary<string, string> { ["dataset"] = "bikes", ["epochs"] = "6" },
            Environment = new Dictionary<string, string> { ["MIC_FORCE"] = "true" },
        }, CancellationToken.None);

        var seen = await BotocorePeer.DescribeJobAsync(_moto, submitted.JobId);
        Assert.Equal("mic-retrain", submitted.JobName);
        Assert.Equal(queue.Arn, seen.GetProperty("jobQueue").GetString());
        Assert.Equal(definition.Arn, seen.GetProperty("jobDefinition").GetString());
        var parameters = seen.GetProperty("parameters");
        Assert.Equal("bikes", parameters.GetProperty("dataset").GetString());
        Assert.Equal("6", parameters.GetProperty("epochs").GetString());
        Assert.Equal("224", parameters.GetProperty("imageSize").GetString()); // the definition's default
        var environment = seen.GetProperty("container").GetProperty("environment").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value").GetString());
        Assert.Equal("true", environment["MIC_FORCE"]);
    }

    [Fact]
    public async Task DescribeJob_AfterSubmit_SucceededWithTimesParametersAndLogStream()
    {
        var (queue, definition) = await SeedAsync();
        using var batch = new BatchClient(Moto.Options(_moto));
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var submitted = await batch.SubmitJobAsync(new JobSubmission("mic-retrain", queue.Name, definition.Name), CancellationToken.None);

        var job = await batch.DescribeJobAsync(submitted.JobId, CancellationToken.None);

        Assert.NotNull(job);
        Assert.Equal(submitted.JobId, job.JobId);
        Assert.Equal(BatchJobStatus.Succeeded, job.Status);
        Assert.True(job.IsFinished);
        Assert.InRange(job.CreatedAt, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.NotNull(job.StartedAt);
        Assert.NotNull(job.StoppedAt);
        Assert.Equal(1, job.Attempts);
        Assert.Equal("main", job.Parameters["dataset"]);
        Assert.Equal($"{definition.Name}/default/{submitted.JobId}", job.LogStreamName);
        Assert.Equal("/aws/batch/job", job.LogGroup); // moto sends no logConfiguration: Batch's default group
    }

    [Fact]
    public async Task DescribeJob_UnknownId_IsNull()
    {
        using var batch = new BatchClient(Moto.Options(_moto));

        Assert.Null(await batch.DescribeJobAsync(Guid.NewGuid().ToString(), CancellationToken.None));
    }

    [Fact]
    public async Task SubmitJob_UnknownQueue_OneLineErrorNamingQueueAndRegion()
    {
        var (_, definition) = await SeedAsync();
        using var batch = new BatchClient(Moto.Options(_moto));

        var error = await Assert.ThrowsAsync<BatchJobQueueNotFoundException>(() =>
            batch.SubmitJobAsync(new JobSubmission("mic-retrain", "no-such-queue", definition.Name), CancellationToken.None));

        Assert.Equal("AWS Batch job queue 'no-such-queue' does not exist in us-east-1 (check the stack's JobQueue output and the region)", error.Message);
    }

    [Fact]
    public async Task SubmitJob_UnknownDefinition_ServiceErrorWithCodeAndOneLineMessage()
    {
        var (queue, _) = await SeedAsync();
        using var batch = new BatchClient(Moto.Options(_moto));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            batch.SubmitJobAsync(new JobSubmission("mic-retrain", queue.Name, "no-such-definition"), CancellationToken.None));

        Assert.Equal("ClientException", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith("AWS Batch SubmitJob: ClientException: Job definition no-such-definition does not exist (HTTP 400", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task ListJobs_TwoSubmitted_BothListedNewestFirst()
    {
        var (queue, definition) = await SeedAsync();
        using var batch = new BatchClient(Moto.Options(_moto));
        var first = await batch.SubmitJobAsync(new JobSubmission("first", queue.Name, definition.Name), CancellationToken.None);
        await Task.Delay(20);
        var second = await batch.SubmitJobAsync(new JobSubmission("second", queue.Arn, definition.Arn), CancellationToken.None);

        var listed = await batch.ListJobsAsync(queue.Name, DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None);

        Assert.Equal([second.JobId, first.JobId], listed.Select(j => j.JobId));
        Assert.All(listed, j => Assert.Equal(BatchJobStatus.Succeeded, j.Status));
        Assert.Equal(["second", "first"], listed.Select(j => j.JobName));
    }

    [Fact]
    public async Task ListJobs_ByStatus_OnlyThatStatus()
    {
        var (queue, definition) = await SeedAsync();
        using var batch = new BatchClient(Moto.Options(_moto));
        var job = await batch.SubmitJobAsync(new JobSubmission("mic-retrain", queue.Name, definition.Name), CancellationToken.None);

        var succeeded = await batch.ListJobsAsync(queue.Name, BatchJobStatus.Succeeded, CancellationToken.None);
        var running = await batch.ListJobsAsync(queue.Name, BatchJobStatus.Running, CancellationToken.None);

        Assert.Equal([job.JobId], succeeded.Select(j => j.JobId));
        Assert.Empty(running);
    }

    [Fact]
    public async Task ListJobs_UnknownQueue_NamesTheQueue()
    {
        using var batch = new BatchClient(Moto.Options(_moto));

        var error = await Assert.ThrowsAsync<BatchJobQueueNotFoundException>(() =>
            batch.ListJobsAsync("no-such-queue", BatchJobStatus.Running, CancellationToken.None));

        Assert.Equal("no-such-queue", error.JobQueue);
    }

    [Fact]
    public async Task GetJobQueue_Seeded_EnabledAndValid()
    {
        var (queue, _) = await SeedAsync();
        using var batch = new BatchClient(Moto.Options(_moto));

        var found = await batch.GetJobQueueAsync(queue.Name, CancellationToken.None);

        Assert.Equal(queue.Name, found.Name);
        Assert.Equal(queue.Arn, found.Arn);
        Assert.True(found.AcceptsJobs, $"{found.State} {found.Status}");
    }

    private async Task<((string Name, string Arn) Queue, (string Name, string Arn) Definition)> SeedAsync()
    {
        var queue = Moto.Name("mic-queue");
        var definition = Moto.Name("mic-trainer");
        var (queueArn, definitionArn) = await BotocorePeer.SeedBatchAsync(_moto, queue, definition);
        return ((queue, queueArn), (definition, definitionArn));
    }
}
