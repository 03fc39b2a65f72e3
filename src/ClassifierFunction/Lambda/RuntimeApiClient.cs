using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Mic.ClassifierFunction.Lambda;

/// <summary>
/// The Lambda Runtime API (2018-06-01) at <c>AWS_LAMBDA_RUNTIME_API</c>: long-polls for the next event and posts its
/// response or error, or the start-up error. One invocation at a time, as Lambda hands them out. Owns its HttpClient.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    // Deadlines are Unix epoch milliseconds. A value before this is no epoch time (the @vercel/fun peer sends a
    // constant 5000): the invocation then has no deadline of its own and ends only with the host.
    private static readonly DateTimeOffset EarliestPlausibleDeadline = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _http;

    /// <param name="runtimeApi">The <c>host:port</c> of the Runtime API, as in <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    public RuntimeApiClient(string runtimeApi)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/runtime/"),
            // invocation/next blocks until an event arrives, which may be hours; cancellation ends it instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Waits for the next event.</summary>
    /// <exception cref="HttpRequestException">The Runtime API is unreachable or answered an error.</exception>
    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("invocation/next", cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var requestId = Header(response, RequestIdHeader)
            ?? throw new HttpRequestException($"invocation/next answered without a {RequestIdHeader} header");
        return new LambdaInvocation(requestId, ParseDeadline(Header(response, DeadlineHeader)), Header(response, TraceIdHeader),
            Header(response, FunctionArnHeader), payload);
    }

    public Task RespondAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", new ReadOnlyMemoryContent(response), null, cancellationToken);

    public Task ReportErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", ErrorContent(error), error.Type, cancellationToken);

    /// <summary>Reports a start-up failure; Lambda then fails the pending invocation and the process should exit.</summary>
    public Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostAsync("init/error", ErrorContent(error), error.Type, cancellationToken);

    public void Dispose() => _http.Dispose();

    internal static DateTimeOffset? ParseDeadline(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
        && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
        && DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) is var deadline
        && deadline >= EarliestPlausibleDeadline
            ? deadline
            : null;

    private async Task PostAsync(string path, HttpContent content, string? errorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private static ByteArrayContent ErrorContent(LambdaError error)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("errorMessage", error.Message);
            json.WriteString("errorType", error.Type);
            json.WriteStartArray("stackTrace");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new ByteArrayContent(buffer.ToArray());
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
