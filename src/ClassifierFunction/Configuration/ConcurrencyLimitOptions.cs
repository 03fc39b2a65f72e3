using System.ComponentModel.DataAnnotations;

namespace Mic.ClassifierFunction.Configuration;

/// <summary>
/// How many <c>POST /classify</c> requests run at once (<c>Mic:Concurrency</c> section). More wait in a queue, first in
/// first out, before their body is read; past the queue the function answers 503 with <c>Retry-After</c>, so a burst of
/// 12-megapixel photos cannot take the memory of more than <see cref="MaxConcurrentRequests"/> decodes at a time.
/// </summary>
internal sealed class ConcurrencyLimitOptions
{
    public const string SectionName = "Mic:Concurrency";

    /// <summary>
    /// Classifications running at once; default one per core. Each keeps its upload and decoder buffers in memory, and
    /// decoding and inference are CPU-bound, so more at once would add memory, not throughput.
    /// </summary>
    [Range(1, 4096)]
    public int MaxConcurrentRequests { get; set; } = Environment.ProcessorCount;

    /// <summary>Requests waiting for a slot; the next one is refused with 503.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 64;

    /// <summary>The <c>Retry-After</c> seconds sent with a 503.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;
}
