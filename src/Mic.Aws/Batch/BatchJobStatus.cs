namespace Mic.Aws.Batch;

/// <summary>An AWS Batch job's state; <see cref="Succeeded"/> and <see cref="Failed"/> are final.</summary>
public enum BatchJobStatus
{
    Submitted,
    Pending,
    Runnable,
    Starting,
    Running,
    Succeeded,
    Failed,
}
