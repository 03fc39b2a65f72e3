using System.Diagnostics;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>
/// A function process started the way Lambda starts one: its entry point, with <c>AWS_LAMBDA_RUNTIME_API</c> and the
/// function's environment (role credentials included, which @vercel/fun cannot pass). Its output lines are kept;
/// disposing kills it.
/// </summary>
public sealed class LambdaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private LambdaProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static LambdaProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what Lambda would set: nothing of this machine's environment (its AWS credentials least of all).
        var inherited = start.Environment.Where(e => e.Key is "PATH" or "HOME" or "TMPDIR").ToList();
        start.Environment.Clear();
        foreach (var (name, value) in inherited.Concat(environment.Select(e => KeyValuePair.Create(e.Key, (string?)e.Value))))
        {
            start.Environment[name] = value;
        }

        return new LambdaProcess(Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
