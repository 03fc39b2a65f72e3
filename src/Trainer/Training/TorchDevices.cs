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
                $"device '{name}' asked for, but CUDA is not available (this build uses libtorch-cpu; see docs/trainer.md for the GPU build)");
        }

        return new Device(name);
    }

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
