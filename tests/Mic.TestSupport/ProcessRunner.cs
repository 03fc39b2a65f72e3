using System.Diagnostics;

namespace Mic.TestSupport;

/// <summary>Runs a command to completion and captures its output; a failure names the setup command that fixes it.</summary>
public static class ProcessRunner
{
    /// <exception cref="InvalidOperationException">It could not start, or exited non-zero; the message holds <paramref name="hint"/> and stderr.</exception>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string hint)
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

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode} ({hint}):\n{await stdout}\n{await stderr}");
        }

        return await stdout;
    }
}
