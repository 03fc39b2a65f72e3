using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Mic.TestSupport;

/// <summary>
/// A stand-in S3 endpoint on 127.0.0.1 that records every request's method, path and headers and answers each with
/// S3's 404 <c>NoSuchKey</c>: enough to see which credentials a client signed with (the <c>Authorization</c> header's
/// access key, the <c>x-amz-security-token</c> of temporary credentials) without a server that checks them.
/// </summary>
public sealed class RecordingS3Server : IDisposable
{
    private static readonly byte[] NoSuchKey = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly LoopbackHttpServer _server;

    public RecordingS3Server() => _server = new LoopbackHttpServer(AnswerAsync);

    public string Endpoint => _server.Url.TrimEnd('/');

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public void Dispose() => _server.Dispose();

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        _requests.Enqueue(new RecordedRequest(request.HttpMethod, request.Url!.AbsolutePath,
            request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase)));
        context.Response.StatusCode = 404;
        context.Response.ContentType = "application/xml";
        if (request.HttpMethod != "HEAD")
        {
            await context.Response.OutputStream.WriteAsync(NoSuchKey);
        }
    }
}
