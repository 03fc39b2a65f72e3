using System.Buffers;

namespace Mic.ClassifierFunction.Api;

/// <summary>
/// Buffers for uploads. Not <see cref="ArrayPool{T}.Shared"/>: that pool also keeps one array per bucket per thread,
/// so under many connections every thread-pool thread ends up holding a multi-megabyte upload buffer (peak RSS at 16
/// clients with phone photos grew past 500 MB, docs/benchmarks.md). This one keeps at most one array per core per
/// size; more are left to the garbage collector.
/// </summary>
internal static class ImageBodyPool
{
    public static ArrayPool<byte> Instance { get; } =
        ArrayPool<byte>.Create(maxArrayLength: 1 << 30, maxArraysPerBucket: Environment.ProcessorCount);
}
