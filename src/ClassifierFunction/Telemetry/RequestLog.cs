using System.Text;
using System.Text.Json;

namespace Mic.ClassifierFunction.Telemetry;

/// <summary>
/// Writes one JSON line per request or S3 record. Each line is also a CloudWatch Embedded Metric Format document:
/// CloudWatch Logs turns it into the metrics <c>Latency</c> (ms) and <c>Errors</c> (count) in namespace
/// <see cref="Namespace"/>, by <c>Operation</c> and by <c>Operation</c> × <c>Outcome</c> (errors by kind); the other
/// fields stay searchable in Logs Insights without becoming metric dimensions. Thread-safe: a line is written whole.
/// </summary>
internal sealed class RequestLog(TextWriter output, TimeProvider time)
{
    public const string Namespace = "MIC";

    private readonly Lock _lock = new();

    public void Write(RequestLogEntry entry)
    {
        using var buffer = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteMetadata(json, time.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteString("Operation", entry.Operation);
            json.WriteString("Outcome", entry.Outcome);
            json.WriteNumber("Latency", Math.Round(entry.LatencyMs, 3));
            json.WriteNumber("Errors", entry.IsError ? 1 : 0);
            WriteOptional(json, "requestId", entry.RequestId);
            WriteOptional(json, "traceId", entry.TraceId);
            WriteOptional(json, "target", entry.Target);
            if (entry.Status is { } status)
            {
                json.WriteNumber("status", status);
            }

            WriteOptional(json, "modelVersion", entry.ModelVersion);
            if (entry.DownloadMs is { } download)
            {
                json.WriteNumber("downloadMs", Math.Round(download, 3));
            }

            if (entry.Timings is { } timings)
            {
                json.WriteNumber("decodeMs", timings.DecodeMs);
                json.WriteNumber("resizeMs", timings.ResizeMs);
                json.WriteNumber("inferenceMs", timings.InferenceMs);
            }

            WriteOptional(json, "error", entry.Error);
            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_lock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static void WriteMetadata(Utf8JsonWriter json, long timestamp)
    {
        json.WriteStartObject("_aws");
        json.WriteNumber("Timestamp", timestamp);
        json.WriteStartArray("CloudWatchMetrics");
        json.WriteStartObject();
        json.WriteString("Namespace", Namespace);
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        json.WriteStringValue("Operation");
        json.WriteEndArray();
        json.WriteStartArray();
        json.WriteStringValue("Operation");
        json.WriteStringValue("Outcome");
        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        WriteMetric(json, "Latency", "Milliseconds");
        WriteMetric(json, "Errors", "Count");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMetric(Utf8JsonWriter json, string name, string unit)
    {
        json.WriteStartObject();
        json.WriteString("Name", name);
        json.WriteString("Unit", unit);
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
