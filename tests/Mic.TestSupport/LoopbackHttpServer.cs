using System.Net;
using System.Net.Sockets;

namespace Mic.TestSupport;

/// <summary>
/// A small HTTP server on a free 127.0.0.1 port that hands each request to a callback, one at a time, until disposed.
/// For the test peers that stand in for a service (an S3 endpoint, a queue); the callback answers the request.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> handle)
    {
        Url = $"http://127.0.0.1:{FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(() => ServeAsync(handle));
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public string Url { get; }

    /// <summary>A TCP port nothing listens on at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync(Func<HttpListenerContext, Task> handle)
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await handle(context);
            context.Response.Close();
        }
    }
}
