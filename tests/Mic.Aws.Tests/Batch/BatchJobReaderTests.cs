using System.Text.Json;
using Mic.Aws.Batch;
using Mic.Aws.Batch.Internal;

namespace Mic.Aws.Tests.Batch;

/// <summary>
/// DescribeJobs answers in the shape AWS Batch sends for a job with an awslogs configuration and a retried attempt
/// (the members moto leaves out). The sample follows the DescribeJobs response syntax in the Batch API reference.
/// </summary>
public sealed class BatchJobReaderTests
{
    private const string RetriedJob = """
        {"jobs": [{"jobArn": "arn:aws:batch:eu-west-1:123456789012:job/6b1a6a1c", "jobName": "mic-scheduled-training",
          "jobId": "6b1a6a1c", "jobQueue": "arn:aws:batch:eu-west-1:123456789012:job-queue/JobQueue-x",
          "status": "FAILED", "statusReason": "Essential container in task exited",
          "attempts": [
            {"container": {"exitCode": 137, "logStreamName": "mic/default/a1", "reason": "Host EC2 (instance i-0a) terminated."},
             "startedAt": 1796313000000, "stoppedAt": 1796313600000, "statusReason": "Host EC2 (instance i-0a) terminated."},
            {"container": {"exitCode": 3, "logStreamName": "mic/default/a2"}, "startedAt": 1796313700000, "stoppedAt": 1796314300000}],
          "createdAt": 1796312990000, "startedAt": 1796313000000, "stoppedAt": 1796314300000,
          "parameters": {"dataset": "main", "force": "false"},
          "container": {"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mic-trainer:latest", "exitCode": 3,
            "logStreamName": "mic/default/a2",
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "mic-TrainingLogs-Ab12", "awslogs-stream-prefix": "mic"}}}}]}
        """;

    [Fact]
    public void Read_RetriedFailedJob_LatestAttemptsExitCodeStreamAndTheDefinitionsLogGroup()
    {
        var wire = JsonSerializer.Deserialize(RetriedJob, BatchJsonContext.Default.DescribeJobsResponse)!.Jobs![0];

        var job = BatchJobReader.Read(wire);

        Assert.Equal(BatchJobStatus.Failed, job.Status);
        Assert.Equal("Essential container in task exited", job.StatusReason);
        Assert.Equal(3, job.ExitCode);
        Assert.Equal(2, job.Attempts);
        Assert.Equal("mic-TrainingLogs-Ab12", job.LogGroup);
        Assert.Equal("mic/default/a2", job.LogStreamName);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796312990000), job.CreatedAt);
        Assert.Equal("main", job.Parameters["dataset"]);
    }

    [Fact]
    public void Read_RunnableSummary_NoTimesNoStreamNoExitCode()
    {
        var wire = JsonSerializer.Deserialize("""
            {"jobSummaryList": [{"jobId": "j1", "jobName": "mic-retrain", "createdAt": 1796312990000, "status": "RUNNABLE",
              "statusReason": "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested for instance type [g4dn.xlarge]"}]}
            """, BatchJsonContext.Default.ListJobsResponse)!.JobSummaryList![0];

        var job = BatchJobReader.Read(wire);

        Assert.Equal(BatchJobStatus.Runnable, job.Status);
        Assert.False(job.IsFinished);
        Assert.StartsWith("CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", job.StatusReason, StringComparison.Ordinal);
        Assert.Null(job.StartedAt);
        Assert.Null(job.ExitCode);
        Assert.Null(job.LogStreamName);
        Assert.Null(job.LogGroup);
    }

    [Fact]
    public void Read_UnknownStatus_OneLineError()
    {
        var wire = JsonSerializer.Deserialize("""{"jobs": [{"jobId": "j1", "jobName": "n", "status": "PAUSED"}]}""",
            BatchJsonContext.Default.DescribeJobsResponse)!.Jobs![0];

        var error = Assert.Throws<AwsException>(() => BatchJobReader.Read(wire));

        Assert.Equal("AWS Batch: job j1 has a status MIC does not know: 'PAUSED'", error.Message);
    }
}
