using Microsoft.Extensions.Logging;

namespace Mic.Core.Internal;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Serving model {Version} from {Store} (previous: {Previous})")]
    public static partial void ModelLoaded(ILogger logger, string version, string store, string? previous);

    [LoggerMessage(2, LogLevel.Error, "Refused model {Version}: {Reason}; the current model keeps serving")]
    public static partial void ModelRefused(ILogger logger, string version, string reason, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "No model published in {Store} yet (models/latest.json is missing)")]
    public static partial void NoModelPublished(ILogger logger, string store);

    [LoggerMessage(4, LogLevel.Warning, "Model store {Store} could not be read; will retry")]
    public static partial void StoreUnreachable(ILogger logger, string store, Exception exception);
}
