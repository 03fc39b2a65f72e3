namespace Mic.Trainer.Data;

/// <summary>An image left out of training, and why (unreadable, not an image, excluded by the user).</summary>
public sealed record SkippedImage(string Id, string Reason);
