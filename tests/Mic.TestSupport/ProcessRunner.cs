using System.Diagnostics;

namespace Mic.TestSupport;

/// <summary>Runs a command to completion and captures its output; a failure names the setup command that fixes it.</summary>
public static class ProcessRunner
{
    /// <exception cref="InvalidOperationException">It could not start, or exited non-zero; the message holds <paramref name="hint"/> and stderr.</exception>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string hint)
    {
        var list = arguments.ToList();
        var (exitCode, stdout, stderr) = await RunToExitAsync(fileName, list, timeout, hint);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', list)} exited with {exitCode} ({hint}):\n{stdout}\n{stderr}");
        }

        return stdout;
    }

    /// <summary>Its exit code and output, whatever the exit code.</summary>
    /// <exception cref="InvalidOperationException">It could not start, or ran past <paramref name="timeout"/>.</exception>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string fileName, IEnumerable<string> arguments,
        TimeSpan timeout, string hint)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start ({hint})");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{fileName} {string.Join(' ', start.ArgumentList)} ran past {timeout} ({hint})");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
