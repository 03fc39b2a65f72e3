namespace Mic.Aws;

/// <summary>The service answered with an error (after retries, where the error was worth retrying).</summary>
public sealed class AwsServiceException(string service, string operation, int statusCode, string errorCode, string serviceMessage, string? requestId)
    : AwsException(Describe(service, operation, statusCode, errorCode, serviceMessage, requestId))
{
    public string Service { get; } = service;

    public string Operation { get; } = operation;

    public int StatusCode { get; } = statusCode;

    /// <summary>The service's error code, e.g. <c>ClientException</c>, <c>ResourceNotFoundException</c>, <c>AccessDeniedException</c>.</summary>
    public string ErrorCode { get; } = errorCode;

    public string ServiceMessage { get; } = serviceMessage;

    public string? RequestId { get; } = requestId;

    private static string Describe(string service, string operation, int statusCode, string errorCode, string serviceMessage, string? requestId)
    {
        var text = string.Join(' ', serviceMessage.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"{service} {operation}: {errorCode}{(text.Length == 0 ? "" : ": " + text)} (HTTP {statusCode}{(requestId is null ? "" : ", request " + requestId)})";
    }
}
