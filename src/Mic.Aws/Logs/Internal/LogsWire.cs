namespace Mic.Aws.Logs.Internal;

// The CloudWatch Logs JSON 1.1 shapes MIC uses (Logs_20140328), members named as on the wire (camelCase).

internal sealed record GetLogEventsRequest(string LogGroupName, string LogStreamName, string? NextToken, bool StartFromHead, int Limit);

internal sealed record GetLogEventsResponse(List<OutputLogEventWire>? Events, string? NextForwardToken);

internal sealed record OutputLogEventWire(long Timestamp, string? Message);
