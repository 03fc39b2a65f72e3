namespace Mic.Core.Models;

/// <summary>
/// <c>models/latest.json</c>: which bundle is live. <see cref="Sha256"/> is the SHA-256 of that bundle's model file;
/// it is written last, in one PUT, so a reader never sees a half-published bundle.
/// </summary>
public sealed record LatestPointer(string Version, string Sha256);
