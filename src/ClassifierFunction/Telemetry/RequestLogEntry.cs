using Mic.Core.Inference;

namespace Mic.ClassifierFunction.Telemetry;

/// <summary>
/// What one request or S3 record did. <see cref="Operation"/> and <see cref="Outcome"/> are metric dimensions, so
/// they must come from small fixed sets (a route pattern, an error kind), never from user input.
/// </summary>
internal sealed record RequestLogEntry(string Operation, string Outcome, double LatencyMs)
{
    public string? RequestId { get; init; }

    public string? TraceId { get; init; }

    /// <summary>The request path, or the S3 object (<c>bucket/key</c>) of a record.</summary>
    public string? Target { get; init; }

    public int? Status { get; init; }

    public string? ModelVersion { get; init; }

    public StageTimings? Timings { get; init; }

    public double? DownloadMs { get; init; }

    /// <summary>Why it failed, for people; no exception detail beyond the message, never image bytes.</summary>
    public string? Error { get; init; }

    public bool IsError => Outcome != RequestOutcomes.Ok && Outcome != RequestOutcomes.Skipped;
}
