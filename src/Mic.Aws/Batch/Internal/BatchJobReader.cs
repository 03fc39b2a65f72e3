namespace Mic.Aws.Batch.Internal;

/// <summary>Turns Batch's wire shape of a job into <see cref="BatchJob"/>.</summary>
internal static class BatchJobReader
{
    private const string DefaultLogGroup = "/aws/batch/job";

    public static BatchJob Read(JobDetailWire job)
    {
        if (!Enum.TryParse<BatchJobStatus>(job.Status, ignoreCase: true, out var status) || !Enum.IsDefined(status))
        {
            throw new AwsException($"AWS Batch: job {job.JobId} has a status MIC does not know: '{job.Status}'");
        }

        var latest = job.Attempts is [.., var last] ? last.Container : null;
        var stream = job.Container?.LogStreamName ?? latest?.LogStreamName;
        var group = job.Container?.LogConfiguration is { LogDriver: "awslogs", Options: { } options } && options.TryGetValue("awslogs-group", out var named)
            ? named
            : DefaultLogGroup;
        return new BatchJob(
            job.JobId,
            job.JobName,
            status,
            string.IsNullOrEmpty(job.StatusReason) ? null : job.StatusReason,
            Time(job.CreatedAt) ?? DateTimeOffset.UnixEpoch,
            Time(job.StartedAt),
            Time(job.StoppedAt),
            job.Container?.ExitCode ?? latest?.ExitCode,
            job.Attempts?.Count ?? 0,
            stream is null ? null : group,
            stream,
            job.Parameters ?? []);
    }

    // Batch sends epoch milliseconds; 0 or absent means "not yet".
    private static DateTimeOffset? Time(long? milliseconds) =>
        milliseconds is > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds.Value) : null;
}
