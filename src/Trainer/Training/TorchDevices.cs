using static TorchSharp.torch;

namespace Mic.Trainer.Training;

/// <summary>Picks the device and thread count; seeds torch's global generator.</summary>
internal static class TorchDevices
{
    public static Device Resolve(string name)
    {
        if (name == "auto")
        {
            return cuda.is_available() ? CUDA : CPU;
        }

        if (name.StartsWith("cuda", StringComparison.Ordinal) && !cuda.is_available())
        {
            throw new NotSupportedException(
                $"device '{name}' asked for, but CUDA is not available: {WhyNoCuda()} (docs/trainer.md, \"GPU build\")");
        }

        return new Device(name);
    }

    /// <summary>Why CUDA is not there: no libtorch_cuda to load (a CPU build), or one that loads but finds no GPU.</summary>
    private static string WhyNoCuda() =>
        System.Runtime.InteropServices.NativeLibrary.TryLoad("torch_cuda", typeof(TorchSharp.torch).Assembly, null, out _)
            ? "libtorch_cuda loaded but found no GPU (no NVIDIA driver, or no device visible)"
            : "libtorch_cuda cannot be loaded (a libtorch-cpu build, or its CUDA libraries are missing)";

    /// <summary>CPU: <paramref name="threads"/> (null = all cores). One thread makes a seeded CPU run bit-for-bit reproducible.</summary>
    public static void Prepare(Device device, int seed, int? threads = null)
    {
        if (device.type == TorchSharp.DeviceType.CPU)
        {
            set_num_threads(threads ?? Environment.ProcessorCount);
        }

        random.manual_seed(seed);
    }
}
