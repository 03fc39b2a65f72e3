using NetVips;

namespace Mic.Core.Imaging;

/// <summary>
/// Process-wide libvips settings, applied once before the first image is opened. Only the loaders of the formats
/// <see cref="FormatSniffer"/> sends to libvips may run: every other libvips loader (SVG, PDF, HEIF, TIFF, matrix, raw,
/// CSV, ...) is blocked, so no input can reach one even through a generic libvips call elsewhere in the process.
/// </summary>
internal static class VipsRuntime
{
    internal static readonly string[] AllowedLoaders = ["jpegload_source", "pngload_source", "webpload_source", "gifload_source"];

    private static readonly Lazy<bool> Initialized = new(Initialize);

    internal static void EnsureInitialized() => _ = Initialized.Value;

    private static bool Initialize()
    {
        NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in AllowedLoaders)
        {
            // Blocking works on class names (gifload_source is VipsForeignLoadNsgifSource in libvips 8.18).
            var type = NetVips.NetVips.TypeFind("VipsOperation", loader);
            Operation.Block(type == IntPtr.Zero
                ? throw new InvalidOperationException($"libvips {NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)} has no {loader}")
                : NetVips.NetVips.TypeName(type), false);
        }

        // Every request is a different image: libvips' operation cache would only hold memory (and references to
        // request buffers) for nothing.
        Cache.Max = 0;
        Cache.MaxFiles = 0;
        Cache.MaxMem = 0;

        // One libvips worker per pipeline, as Node's sharp uses on glibc Linux: requests run side by side instead,
        // and ONNX Runtime keeps the other core (docs/benchmarks.md).
        if (Environment.GetEnvironmentVariable("VIPS_CONCURRENCY") is null)
        {
            NetVips.NetVips.Concurrency = 1;
        }

        return true;
    }
}
