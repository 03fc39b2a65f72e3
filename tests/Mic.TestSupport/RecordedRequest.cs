namespace Mic.TestSupport;

/// <summary>One request <see cref="RecordingS3Server"/> received.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers);
