namespace Mic.Aws.Batch;

/// <summary>What SubmitJob answered: the new job's id (for DescribeJobs and TerminateJob).</summary>
public sealed record SubmittedJob(string JobId, string JobName, string? JobArn);
