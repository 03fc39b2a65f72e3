using System.Runtime.InteropServices;

namespace Mic.ClassifierFunction.Hosting;

/// <summary>
/// glibc's malloc gives every thread that allocates concurrently an arena of its own (up to 8 per core), and large
/// freed blocks (libvips' pixel buffers, ONNX Runtime's scratch) stay in those arenas, so RSS grows with every
/// concurrent request. Two arenas bound that. Only the arena count is set: fixing the mmap threshold as well (an
/// earlier version did, at 128 KiB) turns every large block into a fresh <c>mmap</c>, about 1,000 page faults and
/// 25–30 ms of CPU per phone photo, which made decode + resize in the server slower than the same code in a
/// benchmark process (docs/benchmarks.md, "Server-side gap"). Must run before the first request; a no-op off glibc,
/// and when the environment already tunes malloc (<c>GLIBC_TUNABLES</c> or a <c>MALLOC_*_</c> variable): the
/// operator's setting wins, and benchmarks compare settings that way without a rebuild.
/// </summary>
internal static class GlibcMallocTuning
{
    private const int ArenaMax = -8; // M_ARENA_MAX

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || TunedByEnvironment())
        {
            return;
        }

        try
        {
            _ = Mallopt(ArenaMax, 2);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no such tunables); nothing to tune.
        }
    }

    private static bool TunedByEnvironment() =>
        Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is not null
        || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null
        || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null
        || Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null;

    // DllImport, not LibraryImport: an int-only signature needs no marshalling code, and no unsafe build switch.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
