using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Mic.Aws.Internal;

/// <summary>
/// Sends one JSON request to an AWS API, signed with AWSSDK.Core's SigV4 signer, and reads the JSON answer. Throttling,
/// server errors, network failures and attempt timeouts are retried with jittered exponential back-off; each attempt
/// is signed afresh. Thread-safe; the <see cref="HttpClient"/> is not owned.
/// </summary>
internal sealed class AwsJsonTransport(HttpClient http, AwsClientOptions options, string signingName, string serviceName)
{
    private static readonly HashSet<string> RetriedCodes =
        ["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "ServiceUnavailableException", "RequestThrottled"];

    private readonly AwsIdentity _identity = new(options);

    /// <summary>The region calls go to (for messages that name it).</summary>
    public async Task<string> GetRegionAsync(CancellationToken cancellationToken) =>
        (await _identity.GetRegionAsync(cancellationToken).ConfigureAwait(false)).SystemName;

    public async Task<TResponse> SendAsync<TRequest, TResponse>(AwsCall call, TRequest request, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var region = await _identity.GetRegionAsync(cancellationToken).ConfigureAwait(false);
        var credentials = await _identity.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        var endpoint = options.ServiceUrl ?? new Uri($"https://{signingName}.{region.SystemName}.{region.PartitionDnsSuffix}");
        var uri = new Uri(endpoint, call.Path);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var attempts = Math.Max(1, options.MaxAttempts);

        for (var attempt = 1; ; attempt++)
        {
            using var message = await SignedRequestAsync(call, uri, body, credentials, region, cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.AttemptTimeout);
            byte[] content;
            AwsServiceException? error = null;
            try
            {
                using var response = await http.SendAsync(message, timeout.Token).ConfigureAwait(false);
                content = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    error = Error(call, response, content);
                }
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (attempt < attempts)
                {
                    await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var reason = e is OperationCanceledException ? $"no answer within {options.AttemptTimeout.TotalSeconds:0} s" : e.Message;
                throw new AwsException($"{serviceName} {call.Operation}: {endpoint} failed after {attempt} attempt(s): {reason}", e);
            }

            if (error is null)
            {
                return Read(content, responseType, call);
            }

            if (attempt < attempts && IsRetried(error))
            {
                await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw error;
        }
    }

    // The signed headers are the content type, X-Amz-Target where the protocol has one, and the host (from the URI).
    private async Task<HttpRequestMessage> SignedRequestAsync(AwsCall call, Uri uri, byte[] body, AWSCredentials credentials,
        RegionEndpoint region, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(call.ContentType);
        message.Headers.UserAgent.ParseAdd("mic-aws/1.0");
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = uri, Content = body };
        signing.Headers["Content-Type"] = call.ContentType;
        if (call.Target is not null)
        {
            message.Headers.TryAddWithoutValidation("X-Amz-Target", call.Target);
            signing.Headers["X-Amz-Target"] = call.Target;
        }

        var parameters = new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = region,
            Service = signingName,
            SignPayload = true,
            SignedAt = options.TimeProvider.GetUtcNow().UtcDateTime,
        };
        var signature = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in signature.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    private TResponse Read<TResponse>(byte[] content, JsonTypeInfo<TResponse> responseType, AwsCall call)
    {
        try
        {
            return JsonSerializer.Deserialize(content.Length == 0 ? "{}"u8 : content, responseType)
                ?? throw new JsonException("the answer is JSON null");
        }
        catch (JsonException e)
        {
            throw new AwsException($"{serviceName} {call.Operation}: unreadable answer ({e.Message})", e);
        }
    }

    private AwsServiceException Error(AwsCall call, HttpResponseMessage response, byte[] content)
    {
        AwsErrorBody? body = null;
        try
        {
            body = content.Length > 0 ? JsonSerializer.Deserialize(content, AwsJsonContext.Default.AwsErrorBody) : null;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): the status code says what happened.
        }

        // REST-JSON names the error in x-amzn-ErrorType ("ClientException:http://..."), JSON 1.1 in __type ("ns#Code").
        var code = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First().Split(':')[0] : body?.Type?.Split('#')[^1];
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null;
        return new AwsServiceException(serviceName, call.Operation, (int)response.StatusCode,
            string.IsNullOrEmpty(code) ? response.StatusCode.ToString() : code,
            body?.Message ?? body?.UpperMessage ?? response.ReasonPhrase ?? "", requestId);
    }

    private static bool IsRetried(AwsServiceException error) =>
        error.StatusCode is 429 or 500 or 502 or 503 or 504 || RetriedCodes.Contains(error.ErrorCode);

    private Task BackOffAsync(int attempt, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(5.0, 0.25 * Math.Pow(2, attempt - 1));
        var delay = TimeSpan.FromSeconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
        return Task.Delay(delay, options.TimeProvider, cancellationToken);
    }
}
