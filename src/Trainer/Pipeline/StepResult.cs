namespace Mic.Trainer.Pipeline;

/// <summary>What a step tells the pipeline: go on to the next step, or end the run here with an outcome.</summary>
public sealed record StepResult
{
    private StepResult(PipelineOutcome? outcome) => Outcome = outcome;

    /// <summary>Go on with the next step.</summary>
    public static StepResult Next { get; } = new((PipelineOutcome?)null);

    /// <summary>Null for <see cref="Next"/>; else how the run ended.</summary>
    public PipelineOutcome? Outcome { get; }

    /// <summary>End the run here: no later step runs.</summary>
    public static StepResult End(PipelineOutcome outcome) => new(outcome ?? throw new ArgumentNullException(nameof(outcome)));
}
