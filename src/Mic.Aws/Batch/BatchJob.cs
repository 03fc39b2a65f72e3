namespace Mic.Aws.Batch;

/// <summary>
/// A job as AWS Batch reports it. From <see cref="BatchClient.DescribeJobsAsync"/> every member is filled as far as
/// the job has got; ListJobs sends summaries: no <see cref="Parameters"/>, no attempts, no log stream.
/// <see cref="StatusReason"/> says why it is in its state, e.g. <c>Essential container in task exited</c>, or for the
/// queue's RUNNABLE time limit <c>Canceled by JobStateTimeLimit action due to reason: CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY</c>.
/// <see cref="ExitCode"/> is the container's (the latest attempt's) once it has ended. <see cref="LogGroup"/> and
/// <see cref="LogStreamName"/> name the container's output in CloudWatch Logs (the job definition's awslogs group,
/// else Batch's default <c>/aws/batch/job</c>) once a container has started.
/// </summary>
public sealed record BatchJob(
    string JobId,
    string JobName,
    BatchJobStatus Status,
    string? StatusReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    int? ExitCode,
    int Attempts,
    string? LogGroup,
    string? LogStreamName,
    IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsFinished => Status is BatchJobStatus.Succeeded or BatchJobStatus.Failed;
}
