namespace Mic.Aws.Batch.Internal;

// The AWS Batch REST-JSON shapes MIC uses (API version 2016-08-10), members named as on the wire (camelCase).

internal sealed record SubmitJobRequest(string JobName, string JobQueue, string JobDefinition, Dictionary<string, string>? Parameters,
    ContainerOverridesWire? ContainerOverrides);

internal sealed record ContainerOverridesWire(List<KeyValuePairWire> Environment);

internal sealed record KeyValuePairWire(string Name, string Value);

internal sealed record SubmitJobResponse(string JobId, string JobName, string? JobArn);

internal sealed record DescribeJobsRequest(List<string> Jobs);

internal sealed record DescribeJobsResponse(List<JobDetailWire>? Jobs);

internal sealed record ListJobsRequest(string JobQueue, string? JobStatus, List<KeyValuesPairWire>? Filters, string? NextToken, int? MaxResults);

internal sealed record KeyValuesPairWire(string Name, List<string> Values);

internal sealed record ListJobsResponse(List<JobDetailWire>? JobSummaryList, string? NextToken);

internal sealed record TerminateJobRequest(string JobId, string Reason);

internal sealed record EmptyResponse;

internal sealed record DescribeJobQueuesRequest(List<string> JobQueues);

internal sealed record DescribeJobQueuesResponse(List<JobQueueWire>? JobQueues);

internal sealed record JobQueueWire(string JobQueueName, string JobQueueArn, string? State, string? Status, string? StatusReason);

/// <summary>A job as DescribeJobs (all members) or ListJobs (a summary: no parameters, attempts or log stream) sends it.</summary>
internal sealed record JobDetailWire(
    string JobId,
    string JobName,
    string? JobArn,
    string Status,
    string? StatusReason,
    long? CreatedAt,
    long? StartedAt,
    long? StoppedAt,
    Dictionary<string, string>? Parameters,
    ContainerWire? Container,
    List<AttemptWire>? Attempts);

internal sealed record ContainerWire(int? ExitCode, string? Reason, string? LogStreamName, LogConfigurationWire? LogConfiguration);

internal sealed record LogConfigurationWire(string? LogDriver, Dictionary<string, string>? Options);

internal sealed record AttemptWire(ContainerWire? Container, long? StartedAt, long? StoppedAt, string? StatusReason);
