using System.CommandLine;
using System.Globalization;
using Mic.Aws;
using Mic.Aws.Batch;
using Mic.Aws.Logs;
using Mic.Trainer.Retraining;

namespace Mic.Trainer.Cli;

/// <summary>
/// <c>mic-train submit</c>: start the retraining job now on AWS Batch and follow it to the published version or the
/// reason it did not publish. Refuses while another training job of the queue is waiting or running.
/// </summary>
internal static class SubmitCommand
{
    public const string DefinitionVariable = "MIC_JOB_DEFINITION";

    /// <summary>Batch states in which a job still goes on: a second one would train the same data twice.</summary>
    private static readonly BatchJobStatus[] Active =
        [BatchJobStatus.Submitted, BatchJobStatus.Pending, BatchJobStatus.Runnable, BatchJobStatus.Starting, BatchJobStatus.Running];

    public static void AddTo(RootCommand root, CancellationToken stop)
    {
        var batchOptions = new BatchCliOptions();
        var definition = new Option<string>("--job-definition")
        {
            Description = $"The trainer's job definition (the stack's TrainingJobDefinition output; default: ${DefinitionVariable})",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DefinitionVariable) ?? "",
        };
        var dataset = new Option<string?>("--dataset") { Description = "Dataset under s3://bucket/datasets/ (default: the definition's, the stack's DatasetName)" };
        var imageSize = new Option<int?>("--image-size", "-s") { Description = "Training image size (default: the definition's)" }.AtLeast(32);
        var epochs = new Option<int?>("--epochs", "-e") { Description = "Epochs after unfreezing (default: the definition's)" }.AtLeast(1);
        var force = new Option<bool>("--force") { Description = "Train even when the live model was trained on this very dataset" };
        var allowConcurrent = new Option<bool>("--allow-concurrent") { Description = "Submit even while another training job is waiting or running" };
        var noFollow = new Option<bool>("--no-follow") { Description = "Print the job id and return (follow it later with `mic-train jobs <id>`)" };
        var poll = new Option<double>("--poll-seconds") { Description = "Seconds between status checks while following", DefaultValueFactory = _ => 10 }
            .Within(0, 600);

        var command = new Command("submit", "Start the retraining job on AWS Batch now and follow it: status changes, the trainer's log, then the published version or why it was not published");
        batchOptions.AddTo(command);
        foreach (var option in new Option[] { definition, dataset, imageSize, epochs, force, allowConcurrent, noFollow, poll })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, _) =>
        {
            var output = Console.Out;
            if (batchOptions.ReadQueue(parse, Console.Error) is not { } queue)
            {
                return CommandLine.InputError;
            }

            if (string.IsNullOrWhiteSpace(parse.GetValue(definition)))
            {
                Console.Error.WriteLine($"error: --job-definition is not set and neither is {DefinitionVariable} (the stack's TrainingJobDefinition output)");
                return CommandLine.InputError;
            }

            var parameters = new Dictionary<string, string>();
            if (parse.GetValue(dataset) is { } d)
            {
                parameters["dataset"] = d;
            }

            if (parse.GetValue(imageSize) is { } size)
            {
                parameters["imageSize"] = size.ToString(CultureInfo.InvariantCulture);
            }

            if (parse.GetValue(epochs) is { } epochCount)
            {
                parameters["epochs"] = epochCount.ToString(CultureInfo.InvariantCulture);
            }

            if (parse.GetValue(force))
            {
                parameters["force"] = "true";
            }

            var options = batchOptions.ClientOptions(parse);
            using var batch = new BatchClient(options);
            using var logs = new CloudWatchLogsClient(options);
            try
            {
                if (!parse.GetValue(allowConcurrent) && await FindActiveAsync(batch, queue, stop) is { } running)
                {
                    Console.Error.WriteLine($"refused: training job {running.JobName} ({running.JobId}) is {running.Status.ToString().ToUpperInvariant()} in {queue}; wait for it (mic-train jobs {running.JobId}) or pass --allow-concurrent");
                    return PipelineConsole.Refused;
                }

                var name = "mic-retrain-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
                var submitted = await batch.SubmitJobAsync(new JobSubmission(name, queue, parse.GetValue(definition)!) { Parameters = parameters }, stop);
                output.WriteLine($"submitted job {submitted.JobId} ({submitted.JobName}) to {queue}{(parameters.Count == 0 ? "" : " with " + string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}")))}");
                if (parse.GetValue(noFollow))
                {
                    return 0;
                }

                var (job, summary) = await new JobFollower(batch, logs, output, TimeSpan.FromSeconds(parse.GetValue(poll))).FollowAsync(submitted.JobId, stop);
                return JobReport.Write(output, job, summary);
            }
            catch (AwsException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return CommandLine.InputError;
            }
        });
        root.Subcommands.Add(command);
    }

    private static async Task<BatchJob?> FindActiveAsync(BatchClient batch, string queue, CancellationToken cancellationToken)
    {
        foreach (var status in Active)
        {
            if ((await batch.ListJobsAsync(queue, status, cancellationToken)).FirstOrDefault() is { } job)
            {
                return job;
            }
        }

        return null;
    }
}
