namespace Mic.Aws.Batch;

/// <summary>A job to submit.</summary>
/// <param name="JobName">Up to 128 letters, digits, hyphens and underscores, starting with a letter or digit.</param>
/// <param name="JobQueue">Queue name or ARN.</param>
/// <param name="JobDefinition">Job definition name, <c>name:revision</c> or ARN; a bare name takes the latest active revision.</param>
public sealed record JobSubmission(string JobName, string JobQueue, string JobDefinition)
{
    /// <summary>Values for the definition's <c>Ref::name</c> placeholders; missing ones take the definition's defaults.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment variables added to (or replacing) the container's.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
