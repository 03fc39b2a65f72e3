namespace Mic.Trainer.Reporting;

/// <summary>An image worth a second look: <see cref="Reason"/> says why (confidently misclassified, duplicate).</summary>
public sealed record Suspect(string Id, string Reason);
