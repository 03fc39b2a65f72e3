using System.Runtime.InteropServices;

namespace Mic.Trainer.Training;

/// <summary>
/// Intel MKL (inside libtorch's CPU build) picks its matrix-product code paths at run time unless its Conditional
/// Numerical Reproducibility mode is set, and then the same product can round differently from one call to the next
/// — seen as the first training run in a process rounding its 1×1 convolutions (OnnxOps.PointwiseConv) differently
/// from the next. Seeded CPU runs must be bit-for-bit reproducible (<c>--threads 1</c>, <c>--resume</c>), so this sets
/// <c>MKL_CBWR=AUTO</c> (the best code path for this CPU, always the same one) unless the user set it. MKL reads it at
/// its first call: call <see cref="Ensure"/> before any tensor work.
/// </summary>
public static class NumericalReproducibility
{
    public const string Variable = "MKL_CBWR";

    public static void Ensure()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(Variable) is null)
        {
            // The native environment, where MKL looks (Environment.SetEnvironmentVariable only changes .NET's copy).
            _ = SetEnv(Variable, "AUTO", overwrite: 0);
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);
}
