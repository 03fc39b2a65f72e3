namespace Mic.Aws.Batch;

/// <summary>A job queue: <see cref="State"/> ENABLED or DISABLED, <see cref="Status"/> VALID, INVALID, CREATING, UPDATING….</summary>
public sealed record BatchJobQueue(string Name, string Arn, string State, string Status, string? StatusReason)
{
    /// <summary>Whether the queue takes jobs: enabled and valid (or being updated, which keeps it working).</summary>
    public bool AcceptsJobs => State == "ENABLED" && Status is "VALID" or "UPDATING";
}
