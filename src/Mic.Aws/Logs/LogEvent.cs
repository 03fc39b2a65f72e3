namespace Mic.Aws.Logs;

/// <summary>One line a job wrote, with the time CloudWatch Logs gave it.</summary>
public sealed record LogEvent(DateTimeOffset Timestamp, string Message);
