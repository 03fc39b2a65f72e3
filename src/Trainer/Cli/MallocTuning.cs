using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mic.Trainer.Cli;

/// <summary>
/// glibc returns libtorch's large activation buffers to the OS after every step unless told not to, which costs up
/// to 2× in training speed on CPU (docs/trainer.md). The setting only works if present when the process starts, so a
/// training command re-runs itself once with it set. <c>MIC_TRAIN_NO_REEXEC=1</c> turns this off. The parent passes the
/// child's stderr on without libtorch's NNPACK noise (<see cref="LibtorchNoise"/>).
/// </summary>
internal static class MallocTuning
{
    public const string Variable = "GLIBC_TUNABLES";
    public const string Tunables = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736";

    public static bool ShouldReExec(string[] args) =>
        OperatingSystem.IsLinux()
        && args.Length > 0 && args[0] is "train" or "lr-find" or "retrain"
        && !args.Contains("--help") && !args.Contains("-h")
        && Environment.GetEnvironmentVariable(Variable)?.Contains("mmap_max", StringComparison.Ordinal) != true
        && Environment.GetEnvironmentVariable("MIC_TRAIN_NO_REEXEC") != "1"
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>Runs this program again with the tunables set and returns its exit code.</summary>
    public static int ReExec(string[] args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this process's executable");
        // stderr comes through this process so that libtorch's NNPACK noise can be dropped; stdout (the progress bar,
        // which needs to know whether it is a terminal) and stdin are the child's own.
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardError = true };
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

        // Ctrl+C in a terminal reaches the child as well (the whole process group gets it); a SIGINT or SIGTERM sent to
        // this process alone (kill, a job runner, a container stop) would not. So both are passed on, as SIGTERM: the
        // child treats SIGTERM like a first Ctrl+C however often it comes, so when the terminal's SIGINT reaches it too
        // the pair still counts as one request to stop after the batch. Only a second SIGINT aborts (Program.cs).
        var gate = new Lock();
        Process? child = null;
        var stopRequested = false;
        void PassOn(PosixSignalContext context)
        {
            context.Cancel = true;
            lock (gate)
            {
                stopRequested = true;
                if (child is not null)
                {
                    Terminate(child);
                }
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, PassOn);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, PassOn);
        using var started = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
        started.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && !LibtorchNoise.IsNoise(line))
            {
                Console.Error.WriteLine(line);
            }
        };
        started.BeginErrorReadLine();
        lock (gate)
        {
            child = started;
            if (stopRequested)
            {
                Terminate(child); // a signal that came while the child was starting
            }
        }

        started.WaitForExit(); // without a timeout this also waits for the end of the child's stderr
        return started.ExitCode;
    }

    private static void Terminate(Process child)
    {
        if (!child.HasExited)
        {
            _ = Kill(child.Id, SigTerm); // fails only if the child has just exited, which is what was asked for
        }
    }

    private const int SigTerm = 15; // Linux, x64 and arm64: the only platforms that re-exec

    /// <summary>kill(2): sends <paramref name="signal"/> to a process, or to a process group when <paramref name="pid"/> is negative.</summary>
    [DllImport("libc", EntryPoint = "kill")]
    internal static extern int Kill(int pid, int signal);
}
