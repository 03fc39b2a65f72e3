using System.Net;
using Microsoft.AspNetCore.Http.Features;

namespace Mic.ClassifierFunction.Lambda;

/// <summary>
/// The features of one API Gateway request, buffered both ways: the body is the decoded event body, the response
/// is collected in memory and sent as one proxy response. Because nothing reaches the client before the end,
/// the response never "starts" early: an exception handler can still replace it. <c>OnStarting</c> callbacks run
/// just before the response is serialized, <c>OnCompleted</c> callbacks after it was posted. Not thread-safe (one
/// request at a time, as on Lambda).
/// </summary>
internal sealed class InvocationFeatures : IHttpResponseFeature, IDisposable
{
    private readonly MemoryStream _responseBody = new();
    private readonly StreamResponseBodyFeature _bodyFeature;
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];

    public InvocationFeatures(ApiGatewayRequest request, string requestId, CancellationToken requestAborted)
    {
        _bodyFeature = new StreamResponseBodyFeature(_responseBody);
        Collection.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = "https",
            Method = request.Method,
            PathBase = request.PathBase,
            Path = request.Path,
            QueryString = request.QueryString,
            RawTarget = request.PathBase + request.Path + request.QueryString,
            Headers = request.Headers,
            Body = new MemoryStream(request.Body, writable: false),
        });
        Collection.Set<IHttpResponseFeature>(this);
        Collection.Set<IHttpResponseBodyFeature>(_bodyFeature);
        Collection.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = requestId });
        Collection.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = requestAborted });
        Collection.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = requestId,
            RemoteIpAddress = request.SourceIp,
            LocalIpAddress = IPAddress.Loopback,
        });
    }

    public FeatureCollection Collection { get; } = new();

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public Stream Body
    {
        get => _bodyFeature.Stream;
        set => throw new NotSupportedException("the Lambda response body is buffered and cannot be replaced");
    }

    public bool HasStarted => false;

    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Add((callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Add((callback, state));

    /// <summary>Runs the OnStarting callbacks (last registered first, as Kestrel does) and flushes the body writer.</summary>
    public async Task FinishAsync()
    {
        for (var i = _onStarting.Count - 1; i >= 0; i--)
        {
            await _onStarting[i].Callback(_onStarting[i].State).ConfigureAwait(false);
        }

        await _bodyFeature.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>The response body written so far; valid until the next write or <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> ResponseBody => _responseBody.GetBuffer().AsSpan(0, (int)_responseBody.Length);

    /// <summary>Replaces whatever the application produced with an empty 500, as Kestrel does for an unhandled exception.</summary>
    public void Fail()
    {
        StatusCode = StatusCodes.Status500InternalServerError;
        Headers.Clear();
        _responseBody.SetLength(0);
    }

    public async Task CompleteAsync()
    {
        for (var i = _onCompleted.Count - 1; i >= 0; i--)
        {
            await _onCompleted[i].Callback(_onCompleted[i].State).ConfigureAwait(false);
        }
    }

    public void Dispose() => _responseBody.Dispose();
}
