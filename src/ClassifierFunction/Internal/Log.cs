namespace Mic.ClassifierFunction.Internal;

internal static partial class Log
{
    [LoggerMessage(100, LogLevel.Critical, "The Lambda Runtime API at {RuntimeApi} failed; stopping")]
    public static partial void RuntimeApiFailed(ILogger logger, string runtimeApi, Exception exception);

    [LoggerMessage(101, LogLevel.Error, "Invocation {RequestId} failed: {ErrorType}: {ErrorMessage}")]
    public static partial void InvocationFailed(ILogger logger, string requestId, string errorType, string errorMessage, Exception exception);

    [LoggerMessage(102, LogLevel.Error, "Request {RequestId} threw; answering 500")]
    public static partial void RequestFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(103, LogLevel.Warning, "Queue message {MessageId} failed and will be delivered again: {ErrorType}: {ErrorMessage}")]
    public static partial void QueueMessageFailed(ILogger logger, string messageId, string errorType, string errorMessage);

    [LoggerMessage(104, LogLevel.Error, "Request {RequestId}: the {Bytes}-byte response is over Lambda's payload limit; answering 500")]
    public static partial void ResponseTooLarge(ILogger logger, string requestId, int bytes);
}
