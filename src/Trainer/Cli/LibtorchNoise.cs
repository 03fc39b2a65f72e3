using System.Text.RegularExpressions;

namespace Mic.Trainer.Cli;

/// <summary>
/// Lines libtorch writes to stderr that tell a user nothing they can act on. On x86 CPUs NNPACK does not recognise
/// (AMD Zen 5, for one) every CPU thread that first runs a convolution logs "Could not initialize NNPACK! Reason:
/// Unsupported hardware." — 18 lines on a 2-core machine — and then convolutions use oneDNN as they would anyway.
/// PyTorch's own switch for it (<c>TORCH_CPP_LOG_LEVEL</c>) is only read when something calls
/// <c>c10::initLogging()</c>, which TorchSharp does not, so the re-running parent (<see cref="MallocTuning"/>) drops
/// them from its child's stderr and passes every other line on.
/// </summary>
internal static partial class LibtorchNoise
{
    public static bool IsNoise(string line) => UnsupportedNnpack().IsMatch(line);

    // c10's glog-style prefix: severity W, MMDD, time, file:line.
    [GeneratedRegex(@"^\[W\d{4} [0-9:.]+ NNPACK\.cpp:\d+\] Could not initialize NNPACK! Reason: Unsupported hardware\.$")]
    private static partial Regex UnsupportedNnpack();
}
