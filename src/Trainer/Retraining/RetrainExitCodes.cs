using Mic.Trainer.Cli;

namespace Mic.Trainer.Retraining;

/// <summary>
/// <c>mic-train retrain</c>'s exit codes. 0 covers both a publish and a skip (nothing to do is success for a schedule);
/// a bad dataset or store is <see cref="CommandLine.InputError"/> (2), as for every command.
/// </summary>
internal static class RetrainExitCodes
{
    public const int Published = 0;
    public const int Skipped = 0;

    /// <summary>The evaluation gate refused the model (int8 too far below fp32, or under --min-accuracy); as <c>publish</c>.</summary>
    public const int GateRefused = PipelineConsole.Refused;

    /// <summary>The challenger is worse than the live model on the same held-out images: the live model stays.</summary>
    public const int ChampionKept = 4;

    /// <summary>SIGTERM or Ctrl+C: the checkpoint is in S3 for the next attempt.</summary>
    public const int Stopped = PipelineConsole.Stopped;

    public static int For(RetrainOutcome outcome) => outcome switch
    {
        RetrainOutcome.Published => Published,
        RetrainOutcome.Skipped => Skipped,
        RetrainOutcome.GateRefused => GateRefused,
        RetrainOutcome.ChampionKept => ChampionKept,
        RetrainOutcome.Stopped => Stopped,
        _ => CommandLine.InputError,
    };

    /// <summary>The outcome as the summary's <c>outcome</c> member writes it: <c>champion-kept</c>.</summary>
    public static string Name(RetrainOutcome outcome) => outcome switch
    {
        RetrainOutcome.GateRefused => "gate-refused",
        RetrainOutcome.ChampionKept => "champion-kept",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
