using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3.Util;
using Mic.ClassifierFunction.Lambda;
using Mic.ClassifierFunction.Telemetry;

namespace Mic.ClassifierFunction.S3Events;

/// <summary>
/// Handles S3 event notifications: every <c>ObjectCreated</c> record is processed, each on its own, so one bad
/// record never loses the others. If any record failed in a way worth retrying, the invocation fails after all
/// records were tried, and Lambda's retry processes the event again (rewriting finished results is harmless).
/// </summary>
public sealed class S3EventHandler(S3UploadClassifier uploads) : ILambdaEventHandler
{
    public bool CanHandle(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object
        && payload.TryGetProperty("Records", out var records)
        && records.ValueKind == JsonValueKind.Array
        && records.GetArrayLength() > 0
        && records[0].ValueKind == JsonValueKind.Object
        && records[0].TryGetProperty("eventSource", out var source)
        && source.ValueKind == JsonValueKind.String
        && source.GetString() == "aws:s3";

    public async Task<byte[]> HandleAsync(LambdaInvocation invocation, JsonElement payload, CancellationToken cancellationToken)
    {
        var records = CreatedObjects(Encoding.UTF8.GetString(invocation.Payload.Span));
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

    /// <summary>
    /// The bucket and decoded key of each <c>ObjectCreated</c> record, in order; null for other records. Keys arrive
    /// form-URL-encoded: <c>+</c> is a space and a real <c>+</c> is <c>%2B</c>.
    /// </summary>
    internal static List<(string Bucket, string Key)?> CreatedObjects(string json) =>
        [.. (S3EventNotification.ParseJson(json).Records ?? []).Select(record =>
            record.EventName?.Value?.Contains("ObjectCreated", StringComparison.Ordinal) == true
            && record.S3?.Bucket?.Name is { } bucket && record.S3.Object?.Key is { } key
                ? ((string, string)?)(bucket, WebUtility.UrlDecode(key))
                : null)];
}
