using System.CommandLine;
using System.Globalization;
using Mic.Aws;
using Mic.Aws.Batch;
using Mic.Aws.Logs;
using Mic.Trainer.Retraining;

namespace Mic.Trainer.Cli;

/// <summary>
/// <c>mic-train jobs</c>: the queue's recent training jobs with status, times and reason; <c>mic-train jobs ID</c>
/// follows one job (or replays a finished one's log) like <c>submit</c> does.
/// </summary>
internal static class JobsCommand
{
    public static void AddTo(RootCommand root, CancellationToken stop)
    {
        var batchOptions = new BatchCliOptions();
        var jobId = new Argument<string?>("job-id") { Description = "Follow this job instead of listing", Arity = ArgumentArity.ZeroOrOne };
        var days = new Option<int>("--days") { Description = "List jobs created in the last N days (Batch keeps finished jobs about a week)", DefaultValueFactory = _ => 7 }
            .AtLeast(1);
        var poll = new Option<double>("--poll-seconds") { Description = "Seconds between status checks while following", DefaultValueFactory = _ => 10 }
            .Within(0, 600);
        var command = new Command("jobs", "List recent training jobs (status, times, reason), or follow one: mic-train jobs <job id>");
        command.Arguments.Add(jobId);
        batchOptions.AddTo(command);
        command.Options.Add(days);
        command.Options.Add(poll);
        command.SetAction(async (parse, _) =>
        {
            var output = Console.Out;
            var options = batchOptions.ClientOptions(parse);
            using var batch = new BatchClient(options);
            using var logs = new CloudWatchLogsClient(options);
            try
            {
                if (parse.GetValue(jobId) is { } id)
                {
                    var (job, summary) = await new JobFollower(batch, logs, output, TimeSpan.FromSeconds(parse.GetValue(poll))).FollowAsync(id, stop);
                    return JobReport.Write(output, job, summary);
                }

                if (batchOptions.ReadQueue(parse, Console.Error) is not { } queue)
                {
                    return CommandLine.InputError;
                }

                var jobs = await batch.ListJobsAsync(queue, DateTimeOffset.UtcNow.AddDays(-parse.GetValue(days)), stop);
                output.WriteLine($"{"job id",-36}  {"name",-28}  {"status",-9}  {"created (UTC)",-16}  {"started",-8}  {"stopped",-8}  reason");
                foreach (var job in jobs)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{job.JobId,-36}  {job.JobName,-28}  {job.Status.ToString().ToUpperInvariant(),-9}  {job.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {Time(job.StartedAt),-8}  {Time(job.StoppedAt),-8}  {job.StatusReason}"));
                }

                output.WriteLine($"{jobs.Count} job(s) in {queue} in the last {parse.GetValue(days)} day(s)");
                return 0;
            }
            catch (AwsException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CommandLine.InputError;
            }
        });
        root.Subcommands.Add(command);
    }

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
}
