using System.Runtime.InteropServices;

namespace Mic.ClassifierFunction.Hosting;

/// <summary>
/// glibc's malloc keeps large freed blocks (libvips' copy of each upload, its pixel buffers, ONNX Runtime's
/// scratch) in per-thread arenas and raises its mmap threshold after the first big free, so RSS grows with every
/// concurrent request and never shrinks. Fixing the threshold at 128 KiB makes big blocks mmap-ed and returned on free,
/// and two arenas bound the fragmentation (measured in docs/benchmarks.md: peak RSS at 4 clients 456 → about 250 MB).
/// Must run before the first request; a no-op off glibc.
/// </summary>
internal static class GlibcMallocTuning
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int ArenaMax = -8; // M_ARENA_MAX
    private const int LargeBlock = 128 * 1024;

    public static void Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = Mallopt(MmapThreshold, LargeBlock);
            _ = Mallopt(TrimThreshold, LargeBlock);
            _ = Mallopt(ArenaMax, 2);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no such tunables); nothing to tune.
        }
    }

    // DllImport, not LibraryImport: an int-only signature needs no marshalling code, and no unsafe build switch.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
