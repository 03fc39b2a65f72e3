using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mic.Core.Models;
using Mic.Trainer.Cli;

namespace Mic.Trainer.Tests.Cli;

/// <summary>
/// Stopping the real <c>mic-train</c> process. <c>train</c> re-runs itself once with glibc's malloc tunables
/// (MallocTuning), so the process a user signals is a parent that only waits for the training child. A signal to
/// that parent alone (<c>kill PID</c>, a job runner, a container stop) and Ctrl+C in a terminal (SIGINT to the whole
/// process group, so the child gets it twice: its own and the one the parent passes on) must both end like one Ctrl+C:
/// stop after the batch, write the best finished epoch, exit 130.
/// </summary>
public sealed class SignalTests
{
    private const int Epochs = 60;

    [Theory]
    [InlineData("SIGINT", 2, false)]
    [InlineData("SIGTERM", 15, false)]
    [InlineData("SIGINT", 2, true)]
    public async Task Train_SignalledAfterAnEpoch_StopsAfterTheBatchAndWritesTheBestEpoch(string name, int signal, bool wholeGroup)
    {
        using var output = new TempDirectory();
        var bundle = output.Combine("model");
        using var run = MicTrain.Start(
            "train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", bundle, "-s", "32", "--max-train", "160",
            "--max-valid", "40", "-e", Epochs.ToString(CultureInfo.InvariantCulture), "--freeze-epochs", "0", "--bs", "32",
            "--seed", "3", "--device", "cpu", "--threads", "1");

        // A checkpoint is written at the end of every epoch: once there is one, the run is training.
        await run.WaitUntilAsync(() => File.Exists(Path.Combine(bundle, "checkpoint", "state.json")), TimeSpan.FromMinutes(5));
        var children = run.Children();
        Assert.True(children.Count == 1 && children[0].Contains("mic-train", StringComparison.Ordinal),
            $"expected one re-executed mic-train child, found [{string.Join("; ", children)}]");

        Assert.Equal(0, MallocTuning.Kill(wholeGroup ? -run.Id : run.Id, signal));
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(3),
            $"{name} to the {(wholeGroup ? "process group" : "parent alone")} did not stop the run");

        Assert.True(exitCode == 130, $"exit code {exitCode}, output:\n{run.Output}");
        Assert.Contains("stopped early", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("NNPACK", run.Output, StringComparison.Ordinal); // libtorch's noise, dropped by the parent
        var manifest = ModelBundle.Load(bundle).Manifest;
        Assert.Contains("stopped early", manifest.Training!.Schedule, StringComparison.Ordinal);
        Assert.NotNull(manifest.Training.Epochs);
        Assert.InRange(manifest.Training.Epochs.Value, 1, Epochs - 1);
    }

    [Fact]
    public async Task Train_ChildsErrors_ComeThroughTheReRunningParentsStderr()
    {
        using var output = new TempDirectory();
        using var run = MicTrain.Start("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Path, "--image-size", "8");

        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1), "a parse error did not end mic-train");

        Assert.True(exitCode == 1, $"exit code {exitCode}, output:\n{run.Output}");
        Assert.Contains("--image-size must be at least 32", run.Errors, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output.Path));
    }

    /// <summary>mic-train from this test's output folder, in a session of its own so that its process group can be signalled.</summary>
    private sealed class MicTrain : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _errors = new();

        private MicTrain(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) =>
            {
                Append(e.Data);
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Id => _process.Id;

        /// <summary>stderr alone.</summary>
        public string Errors
        {
            get
            {
                lock (_errors)
                {
                    return _errors.ToString();
                }
            }
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static MicTrain Start(params string[] args)
        {
            var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
            // setsid runs the command in place (this process's child is not a group leader), as the leader of a new group.
            var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in (string[])[dotnet, Path.Combine(AppContext.BaseDirectory, "mic-train.dll"), .. args])
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment.Remove("GLIBC_TUNABLES");
            start.Environment.Remove("MIC_TRAIN_NO_REEXEC");
            var process = Process.Start(start) ?? throw new InvalidOperationException("setsid did not start");
            return new MicTrain(process);
        }

        public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!condition())
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"mic-train exited with {_process.ExitCode} first:\n{Output}");
                }

                if (DateTime.UtcNow >= deadline)
                {
                    Assert.Fail($"mic-train did not get there within {timeout}:\n{Output}");
                }

                await Task.Delay(100);
            }
        }

        public async Task<int> WaitForExitAsync(TimeSpan timeout, string failure)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{failure} within {timeout}:\n{Output}");
            }

            return _process.ExitCode;
        }

        /// <summary>The command lines of this process's children, from /proc.</summary>
        public List<string> Children()
        {
            var children = new List<string>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its last ')'.
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (int.Parse(fields[1], CultureInfo.InvariantCulture) == _process.Id)
                    {
                        children.Add(File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim());
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
                {
                    // not a process folder, or the process has gone
                }
            }

            return children;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _ = MallocTuning.Kill(-_process.Id, 9); // the whole group: the parent and the training child
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
