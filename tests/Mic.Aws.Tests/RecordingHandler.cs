using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Mic.Aws.Tests;

/// <summary>
/// Records each request and passes it on to a real server. <see cref="Routed"/> connects every host name to one
/// local port, so a request addressed to <c>batch.eu-west-1.amazonaws.com</c> reaches moto with that Host header.
/// </summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static RecordingHandler Routed(MotoServer moto) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, moto.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body));
        return await base.SendAsync(request, cancellationToken);
    }
}
