using Mic.Trainer.Cli;

namespace Mic.Trainer.Tests.Cli;

/// <summary>What the re-running parent drops from mic-train's stderr: libtorch's NNPACK line, and nothing else.</summary>
public sealed class LibtorchNoiseTests
{
    [Theory]
    // As libtorch 2.x writes them on this machine's AMD Zen 5, once per CPU thread (from a real run's log).
    [InlineData("[W1130 07:03:20.277091251 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("[W1130 06:37:37.011666763 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("[W0101 00:00:00.000000001 NNPACK.cpp:80] Could not initialize NNPACK! Reason: Unsupported hardware.")]
    public void IsNoise_NnpackUnsupportedHardware_IsDropped(string line) => Assert.True(LibtorchNoise.IsNoise(line));

    [Theory]
    [InlineData("[W1130 07:03:20.277091251 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Out of memory.")]
    [InlineData("[E1130 07:03:20.277091251 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("[W1130 07:03:20.277091251 Conv.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("something else [W1130 07:03:20.277091251 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("Unhandled exception. System.InvalidOperationException: Could not initialize NNPACK! Reason: Unsupported hardware.")]
    [InlineData("--image-size must be at least 32")]
    [InlineData("")]
    public void IsNoise_AnythingElse_IsPassedOn(string line) => Assert.False(LibtorchNoise.IsNoise(line));
}
