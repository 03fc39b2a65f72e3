using System.Net;
using System.Text;

namespace Mic.Aws.Tests;

/// <summary>
/// Fails the first <paramref name="failures"/> requests the way AWS does under load (503 with a JSON error, or a broken
/// connection), then passes requests on to the real server.
/// </summary>
internal sealed class FaultInjectingHandler(int failures, bool brokenConnection, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _seen;

    public int Requests => _seen;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _seen) > failures)
        {
            return base.SendAsync(request, cancellationToken);
        }

        if (brokenConnection)
        {
            throw new HttpRequestException("Connection reset by peer");
        }

        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Content = new StringContent("""{"message":"Service is temporarily unavailable"}""", Encoding.UTF8, "application/json"),
            RequestMessage = request,
        };
        response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", "ServerException:http://internal.amazon.com/coral/com.amazonaws.batch.v20160810/");
        return Task.FromResult(response);
    }
}
