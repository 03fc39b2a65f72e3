using System.Text;
using System.Text.Json;
using Mic.ClassifierFunction.Lambda;
using Mic.ClassifierFunction.Telemetry;

namespace Mic.ClassifierFunction.S3Events;

/// <summary>
/// Handles S3 event notifications sent to the function directly: every <c>ObjectCreated</c> record is processed, each
/// on its own, so one bad record never loses the others. If any record failed in a way worth retrying, the invocation
/// fails after all records were tried, and Lambda's retry processes the event again (rewriting finished results is
/// harmless). The stack deploys the queue route instead (<see cref="SqsEventHandler"/>); this one serves a bucket wired
/// to the function directly.
/// </summary>
internal sealed class S3EventHandler(S3UploadClassifier uploads) : ILambdaEventHandler
{
    public bool CanHandle(JsonElement payload) => EventRecords.AreFrom(payload, "aws:s3");

    public async Task<byte[]> HandleAsync(LambdaInvocation invocation, JsonElement payload, CancellationToken cancellationToken)
    {
        var records = S3Notification.CreatedObjects(Encoding.UTF8.GetString(invocation.Payload.Span));
        var failures = new List<string>();
        int classified = 0, rejected = 0, skipped = 0;
        foreach (var record in records)
        {
            if (record is not var (bucket, key))
            {
                skipped++;
                continue;
            }

            try
            {
                switch (await uploads.ProcessAsync(bucket, key, invocation.RequestId, invocation.TraceId, cancellationToken).ConfigureAwait(false))
                {
                    case RequestOutcomes.Ok:
                        classified++;
                        break;
                    case RequestOutcomes.Skipped:
                        skipped++;
                        break;
                    default:
                        rejected++;
                        break;
                }
            }
            catch (Exception e)
            {
                failures.Add($"{key}: {e.GetType().Name}: {e.Message}");
            }
        }

        if (failures.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new S3EventFailedException(
                $"{failures.Count} of {records.Count} records failed and the event will be retried: {string.Join("; ", failures)}");
        }

        return JsonSerializer.SerializeToUtf8Bytes(new S3EventSummary(records.Count, classified, rejected, skipped),
            S3EventJsonContext.Default.S3EventSummary);
    }
}
