namespace Mic.Aws.Internal;

/// <summary>
/// One API operation: its name for messages, the path it posts to, its content type, and for JSON-protocol services
/// (CloudWatch Logs) the <c>X-Amz-Target</c> header; REST-JSON services (Batch) have none.
/// </summary>
internal sealed record AwsCall(string Operation, string Path, string ContentType, string? Target = null);
