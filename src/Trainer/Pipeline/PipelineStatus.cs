namespace Mic.Trainer.Pipeline;

/// <summary>How a pipeline run ended.</summary>
public enum PipelineStatus
{
    /// <summary>Every step ran.</summary>
    Completed,

    /// <summary>A step found nothing to do (e.g. the dataset is unchanged since the live model).</summary>
    Skipped,

    /// <summary>A check refused the model (the evaluation gate, champion vs challenger): nothing was published.</summary>
    Refused,

    /// <summary>The user stopped the run (Ctrl+C, SIGTERM); what was finished is kept.</summary>
    Stopped,
}
