namespace Mic.Trainer.Retraining;

/// <summary>Whether the challenger may replace the live model, and why; <see cref="ChampionAccuracy"/> is null when they were not compared.</summary>
internal sealed record ChampionDecision(bool Passed, string Reason, double? ChampionAccuracy);
