namespace Mic.Trainer.Pipeline;

/// <summary>How a run ended and why, in one line meant for people (the CLI prints it; a job logs it).</summary>
public sealed record PipelineOutcome(PipelineStatus Status, string Reason)
{
    public static PipelineOutcome Completed(string reason) => new(PipelineStatus.Completed, reason);

    public static PipelineOutcome Skipped(string reason) => new(PipelineStatus.Skipped, reason);

    public static PipelineOutcome Refused(string reason) => new(PipelineStatus.Refused, reason);

    public static PipelineOutcome Stopped(string reason) => new(PipelineStatus.Stopped, reason);
}
