using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mic.Trainer.Cli;

/// <summary>
/// glibc returns libtorch's large activation buffers to the OS after every step unless told not to, which costs up
/// to 2× in training speed on CPU (DESIGN.md). The setting only works if present when the process starts, so a
/// training command re-runs itself once with it set. <c>MIC_TRAIN_NO_REEXEC=1</c> turns this off.
/// </summary>
internal static class MallocTuning
{
    public const string Variable = "GLIBC_TUNABLES";
    public const string Tunables = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736";

    public static bool ShouldReExec(string[] args) =>
        OperatingSystem.IsLinux()
        && args.Length > 0 && args[0] is "train" or "lr-find"
        && !args.Contains("--help") && !args.Contains("-h")
        && Environment.GetEnvironmentVariable(Variable)?.Contains("mmap_max", StringComparison.Ordinal) != true
        && Environment.GetEnvironmentVariable("MIC_TRAIN_NO_REEXEC") != "1"
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Runs this program again with the tunables set and returns its exit code.</summary>
    public static int ReExec(string[] args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this process's executable");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add((System.Reflection.Assembly.GetEntryAssembly() ?? typeof(MallocTuning).Assembly).Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var existing = Environment.GetEnvironmentVariable(Variable);
        start.Environment[Variable] = string.IsNullOrEmpty(existing) ? Tunables : $"{existing}:{Tunables}";
        // The terminal sends Ctrl+C to the child too; this process only waits for it to finish cleanly. A SIGINT or
        // SIGTERM sent to this process alone (kill, a job runner) is passed on to the child.
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            using var kill = Process.Start("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        });
        child.WaitForExit();
        return child.ExitCode;
    }
}
