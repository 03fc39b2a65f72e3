using System.Runtime.InteropServices;
using Mic.Trainer.Training;

namespace Mic.Trainer.Tests.Training;

/// <summary>MKL's reproducible mode is on in the native environment, where MKL reads it, before any tensor work.</summary>
public sealed class NumericalReproducibilityTests
{
    [Fact]
    public void Ensure_SetsMklCbwrInTheNativeEnvironmentUnlessTheUserDid()
    {
        NumericalReproducibility.Ensure();

        var native = Marshal.PtrToStringUTF8(GetEnv(NumericalReproducibility.Variable));
        // The test process was started without it (or with the user's own value, which must be kept).
        Assert.Equal(Environment.GetEnvironmentVariable(NumericalReproducibility.Variable) ?? "AUTO", native);
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv(string name);
}
