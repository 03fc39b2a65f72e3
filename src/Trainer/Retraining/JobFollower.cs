using System.Globalization;
using System.Text.Json;
using Mic.Aws;
using Mic.Aws.Batch;
using Mic.Aws.Logs;

namespace Mic.Trainer.Retraining;

/// <summary>
/// Follows one Batch job to its end: each status change (with Batch's reason), the container's log lines from
/// CloudWatch Logs as they arrive, and the retrain summary line when the job writes one. Clients are borrowed.
/// </summary>
internal sealed class JobFollower(BatchClient batch, CloudWatchLogsClient logs, TextWriter output, TimeSpan pollInterval)
{
    /// <summary>The finished job and the summary its log ended with (null when it wrote none, e.g. it never started).</summary>
    public async Task<(BatchJob Job, JsonElement? Summary)> FollowAsync(string jobId, CancellationToken cancellationToken)
    {
        BatchJobStatus? last = null;
        string? token = null;
        string? stream = null;
        JsonElement? summary = null;
        while (true)
        {
            var job = await batch.DescribeJobAsync(jobId, cancellationToken)
                ?? throw new AwsException($"AWS Batch does not know job {jobId} (it forgets finished jobs after about a week)");
            if (job.Status != last)
            {
                last = job.Status;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{DateTimeOffset.UtcNow:HH:mm:ss} {job.Status.ToString().ToUpperInvariant()}{(string.IsNullOrEmpty(job.StatusReason) ? "" : $": {job.StatusReason}")}"));
            }

            if (job.LogGroup is { } group && job.LogStreamName is { } name)
            {
                if (name != stream)
                {
                    // A retried attempt writes to a stream of its own: read that one from its start.
                    (stream, token) = (name, null);
                }

                (token, summary) = await ReadLogAsync(group, name, token, summary, cancellationToken);
            }

            if (job.IsFinished)
            {
                return (job, summary);
            }

            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    private async Task<(string? Token, JsonElement? Summary)> ReadLogAsync(string group, string stream, string? token, JsonElement? summary,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            LogEventPage page;
            try
            {
                page = await logs.GetLogEventsAsync(group, stream, token, 1000, cancellationToken);
            }
            catch (AwsServiceException e) when (e.ErrorCode == "ResourceNotFoundException")
            {
                return (token, summary); // the container has not written yet
            }

            foreach (var e in page.Events)
            {
                output.WriteLine($"  | {e.Message}");
                summary = TryReadSummary(e.Message) ?? summary;
            }

            if (page.Events.Count == 0 || page.NextToken == token)
            {
                return (page.NextToken, summary);
            }

            token = page.NextToken;
        }
    }

    /// <summary>The members of a <see cref="RetrainSummary"/> line, or null for any other line.</summary>
    public static JsonElement? TryReadSummary(string line)
    {
        var text = line.Trim();
        if (!text.StartsWith('{') || !text.Contains(RetrainSummary.Marker, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.TryGetProperty("mic", out var mic) && mic.GetString() == RetrainSummary.Marker ? json.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
