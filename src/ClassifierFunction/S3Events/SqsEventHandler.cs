using System.Text.Json;
using Mic.ClassifierFunction.Internal;
using Mic.ClassifierFunction.Lambda;

namespace Mic.ClassifierFunction.S3Events;

/// <summary>
/// Handles a batch from the uploads queue, whose messages are S3 event notifications (the stack's route: S3 → queue →
/// this function, at most the queue's maximum concurrency at once). Each message is processed on its own; the
/// response lists the messages to deliver again (<see cref="SqsBatchResponse"/>), so finished ones are never redone.
/// S3's <c>s3:TestEvent</c> is done without work. A message that is not an S3 notification, or whose upload failed in
/// a way worth retrying, is delivered again until the queue moves it to its dead-letter queue.
/// </summary>
internal sealed class SqsEventHandler(S3UploadClassifier uploads, ILogger<SqsEventHandler> logger) : ILambdaEventHandler
{
    public bool CanHandle(JsonElement payload) => EventRecords.AreFrom(payload, "aws:sqs");

    public async Task<byte[]> HandleAsync(LambdaInvocation invocation, JsonElement payload, CancellationToken cancellationToken)
    {
        var failures = new List<SqsBatchItemFailure>();
        foreach (var message in payload.GetProperty("Records").EnumerateArray())
        {
            var id = message.TryGetProperty("messageId", out var messageId) ? messageId.GetString() ?? "" : "";
            try
            {
                cancellationToken.ThrowIfCancellationRequested(); // out of time: the rest is delivered again
                var body = message.TryGetProperty("body", out var text) ? text.GetString() ?? "" : "";
                foreach (var record in S3Notification.CreatedObjects(body))
                {
                    if (record is var (bucket, key))
                    {
                        await uploads.ProcessAsync(bucket, key, invocation.RequestId, invocation.TraceId, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e)
            {
                Log.QueueMessageFailed(logger, id, e.GetType().Name, e.Message);
                failures.Add(new SqsBatchItemFailure(id));
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(new SqsBatchResponse(failures), S3EventJsonContext.Default.SqsBatchResponse);
    }
}
