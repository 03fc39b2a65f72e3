using System.CommandLine;
using Mic.Aws;

namespace Mic.Trainer.Retraining;

/// <summary>
/// What <c>submit</c> and <c>jobs</c> share: the job queue (the stack's <c>TrainingJobQueue</c> output), the region
/// and an endpoint override for a local emulator. Credentials and the region otherwise come from the AWS SDK's default
/// chain (environment, profiles, SSO, instance and container roles).
/// </summary>
internal sealed class BatchCliOptions
{
    public const string QueueVariable = "MIC_JOB_QUEUE";

    public Option<string> Queue { get; } = new("--queue")
    {
        Description = $"The training job queue, name or ARN (the stack's TrainingJobQueue output; default: ${QueueVariable})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(QueueVariable) ?? "",
    };

    public Option<string?> Region { get; } = new("--region") { Description = "AWS region (default: AWS_REGION or the profile's)" };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url") { Description = "Send Batch and CloudWatch Logs calls here instead (a local emulator)" };

    public BatchCliOptions()
    {
        EndpointUrl.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                result.AddError($"{EndpointUrl.Name} must be an http(s) URL (got '{text}').");
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Queue);
        command.Options.Add(Region);
        command.Options.Add(EndpointUrl);
    }

    /// <summary>The queue, or null after writing a one-line error when none is given.</summary>
    public string? ReadQueue(ParseResult parse, TextWriter error)
    {
        var queue = parse.GetValue(Queue);
        if (string.IsNullOrWhiteSpace(queue))
        {
            error.WriteLine($"error: --queue is not set and neither is {QueueVariable} (the stack's TrainingJobQueue output)");
            return null;
        }

        return queue;
    }

    public AwsClientOptions ClientOptions(ParseResult parse) => new()
    {
        Region = parse.GetValue(Region),
        ServiceUrl = parse.GetValue(EndpointUrl) is { } url ? new Uri(url) : null,
    };
}
