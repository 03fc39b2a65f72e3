using System.Globalization;
using System.Text.Json;
using Mic.Aws.Batch;

namespace Mic.Trainer.Retraining;

/// <summary>How <c>submit</c> and <c>jobs</c> end after following a job: one line and an exit code.</summary>
internal static class JobReport
{
    /// <summary>The job failed and wrote no retrain summary (it never started, or Batch stopped it).</summary>
    public const int JobFailed = 5;

    public static int Write(TextWriter output, BatchJob job, JsonElement? summary)
    {
        if (summary is { } s)
        {
            var version = s.TryGetProperty("version", out var v) ? v.GetString() : null;
            var accuracy = s.TryGetProperty("accuracy", out var a) && a.ValueKind == JsonValueKind.Number
                ? a.GetDouble().ToString("P2", CultureInfo.InvariantCulture) : "n/a";
            output.WriteLine(s.GetProperty("published").GetBoolean()
                ? $"job {job.JobId} {Status(job)}: published {version} (accuracy {accuracy}); it is live"
                : $"job {job.JobId} {Status(job)}: not published ({s.GetProperty("outcome").GetString()}): {s.GetProperty("reason").GetString()}");
            return job.Status == BatchJobStatus.Succeeded ? 0 : s.GetProperty("exitCode").GetInt32();
        }

        if (job.Status == BatchJobStatus.Succeeded)
        {
            output.WriteLine($"job {job.JobId} SUCCEEDED (its log held no retrain summary)");
            return 0;
        }

        output.WriteLine($"job {job.JobId} FAILED: {(string.IsNullOrEmpty(job.StatusReason) ? "Batch gave no reason" : job.StatusReason)}{(job.ExitCode is { } code ? $" (exit code {code})" : "")}");
        return JobFailed;
    }

    private static string Status(BatchJob job) => job.Status.ToString().ToUpperInvariant();
}
