using Mic.Aws.Internal;
using Mic.Aws.Logs.Internal;

namespace Mic.Aws.Logs;

/// <summary>
/// Reads a log stream forwards (CloudWatch Logs GetLogEvents) over HTTPS with SigV4 signatures. Every failure is an
/// <see cref="AwsException"/>; a stream that does not exist yet (a job not started) is an <see
/// cref="AwsServiceException"/> with <see cref="AwsServiceException.ErrorCode"/> <c>ResourceNotFoundException</c>.
/// Thread-safe; dispose it to release the HTTP client it created (a client passed in is not disposed).
/// </summary>
public sealed class CloudWatchLogsClient : IDisposable
{
    private static readonly AwsCall GetLogEvents = new("GetLogEvents", "/", "application/x-amz-json-1.1", "Logs_20140328.GetLogEvents");
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AwsJsonTransport _transport;

    public CloudWatchLogsClient(AwsClientOptions? options = null)
        : this(options ?? new AwsClientOptions(), new HttpClient(), ownsHttp: true)
    {
    }

    public CloudWatchLogsClient(AwsClientOptions options, HttpClient http)
        : this(options, http, ownsHttp: false)
    {
    }

    private CloudWatchLogsClient(AwsClientOptions options, HttpClient http, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        _transport = new AwsJsonTransport(http, options, "logs", "CloudWatch Logs");
    }

    /// <summary>
    /// Up to <paramref name="limit"/> (1–10,000) events after <paramref name="nextToken"/>, or from the start of the
    /// stream when it is null.
    /// </summary>
    public async Task<LogEventPage> GetLogEventsAsync(string logGroup, string logStream, string? nextToken, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(logGroup);
        ArgumentException.ThrowIfNullOrWhiteSpace(logStream);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        var response = await _transport.SendAsync(GetLogEvents, new GetLogEventsRequest(logGroup, logStream, nextToken, StartFromHead: true, limit),
            LogsJsonContext.Default.GetLogEventsRequest, LogsJsonContext.Default.GetLogEventsResponse, cancellationToken).ConfigureAwait(false);
        var events = (response.Events ?? []).Select(e => new LogEvent(DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp), e.Message ?? "")).ToList();
        return new LogEventPage(events, response.NextForwardToken ?? nextToken);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
