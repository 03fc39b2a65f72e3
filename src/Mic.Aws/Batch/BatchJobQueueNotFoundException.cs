namespace Mic.Aws.Batch;

/// <summary>The job queue does not exist in the region (a stack not deployed there, or a mistyped name).</summary>
public sealed class BatchJobQueueNotFoundException(string jobQueue, string region)
    : AwsException($"AWS Batch job queue '{jobQueue}' does not exist in {region} (check the stack's JobQueue output and the region)")
{
    public string JobQueue { get; } = jobQueue;

    public string Region { get; } = region;
}
