namespace Mic.Aws.Logs;

/// <summary>
/// Events in the order they were written, and the token to read on from. When the stream has nothing newer the page
/// is empty and <see cref="NextToken"/> is the token that was passed in: poll again later with it.
/// </summary>
public sealed record LogEventPage(IReadOnlyList<LogEvent> Events, string? NextToken);
