using System.Text.Json;

namespace Mic.ClassifierFunction.Lambda;

/// <summary>Recognises the record-batch events AWS services send (<c>{"Records": [{"eventSource": ...}, ...]}</c>).</summary>
internal static class EventRecords
{
    /// <summary>True when <paramref name="payload"/> is a batch whose first record comes from <paramref name="source"/> (<c>aws:s3</c>, <c>aws:sqs</c>).</summary>
    public static bool AreFrom(JsonElement payload, string source) =>
        payload.ValueKind == JsonValueKind.Object
        && payload.TryGetProperty("Records", out var records)
        && records.ValueKind == JsonValueKind.Array
        && records.GetArrayLength() > 0
        && records[0].ValueKind == JsonValueKind.Object
        && records[0].TryGetProperty("eventSource", out var eventSource)
        && eventSource.ValueKind == JsonValueKind.String
        && eventSource.GetString() == source;
}
