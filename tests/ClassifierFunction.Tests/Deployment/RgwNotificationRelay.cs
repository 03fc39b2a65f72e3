using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Mic.ClassifierFunction.Tests.Lambda;

namespace Mic.ClassifierFunction.Tests.Deployment;

/// <summary>
/// Plays the stack's uploads queue for a Ceph RGW bucket: RGW pushes its S3 notifications here (scripts/rgw/notify.sh
/// points the bucket at <see cref="Url"/>), each is acknowledged at once, turned into the record S3 itself would have
/// sent, and delivered to the function one by one as an SQS event, as the queue's event source mapping does.
/// RGW's record differs from S3's in four places (docs/deploy.md, "What only AWS can check"): <c>eventSource</c>
/// <c>ceph:s3</c>, an empty <c>awsRegion</c>, an empty <c>versionId</c>, and the key not URL-encoded.
/// </summary>
public sealed class RgwNotificationRelay : IAsyncDisposable
{
    private const string Region = "us-east-1";

    private readonly LoopbackHttpServer _server;
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly List<JsonObject> _delivered = [];
    private readonly Task _delivering;

    private RgwNotificationRelay(FunPeer function)
    {
        _server = new LoopbackHttpServer(ReceiveAsync);
        _delivering = Task.Run(() => DeliverAsync(function));
    }

    public string Url => _server.Url;

    /// <summary>The queue events delivered so far, and the function's answer to each.</summary>
    public IReadOnlyList<JsonObject> Delivered
    {
        get
        {
            lock (_delivered)
            {
                return [.. _delivered];
            }
        }
    }

    public static RgwNotificationRelay Start(FunPeer function) => new(function);

    /// <summary>RGW's notification as S3 sends it: <c>aws:s3</c>, a region, no empty versionId, the key form-URL-encoded.</summary>
    public static JsonObject AsS3Sends(JsonObject rgw, string region)
    {
        var notification = (JsonObject)rgw.DeepClone();
        foreach (var record in notification["Records"]!.AsArray().OfType<JsonObject>())
        {
            record["eventSource"] = "aws:s3";
            record["awsRegion"] = region;
            var s3Object = record["s3"]!["object"]!.AsObject();
            s3Object["key"] = string.Join('/', s3Object["key"]!.GetValue<string>().Split('/').Select(WebUtility.UrlEncode));
            if (s3Object["versionId"]?.GetValue<string>() is "")
            {
                s3Object.Remove("versionId");
            }

            s3Object.Remove("metadata");
            s3Object.Remove("tags");
        }

        return notification;
    }

    public async ValueTask DisposeAsync()
    {
        _server.Dispose();
        _messages.Writer.TryComplete();
        await _delivering;
    }

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            await _messages.Writer.WriteAsync(await reader.ReadToEndAsync());
        }

        context.Response.StatusCode = 200; // the queue has it: RGW's PUT need not wait for the classification
    }

    private async Task DeliverAsync(FunPeer function)
    {
        await foreach (var message in _messages.Reader.ReadAllAsync())
        {
            var body = AsS3Sends(JsonNode.Parse(message)!.AsObject(), Region).ToJsonString();
            var result = await function.InvokeAsync(LambdaEvents.Sqs(body));
            lock (_delivered)
            {
                _delivered.Add(new JsonObject { ["body"] = body, ["functionError"] = result.FunctionError, ["response"] = result.Payload });
            }
        }
    }
}
