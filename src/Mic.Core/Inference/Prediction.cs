namespace Mic.Core.Inference;

/// <summary>One label with its probability in [0, 1].</summary>
public sealed record Prediction(string Label, float Probability);
