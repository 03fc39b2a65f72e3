namespace Mic.Trainer.Retraining;

/// <summary>How a retrain run ended; each has its own exit code (<see cref="RetrainExitCodes"/>).</summary>
internal enum RetrainOutcome
{
    Published,
    Skipped,
    GateRefused,
    ChampionKept,
    Stopped,

    /// <summary>A bad dataset, store or option: nothing was published.</summary>
    Failed,
}
