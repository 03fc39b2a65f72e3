namespace Mic.TestSupport;

/// <summary>Runs a command to completion and captures its output; a failure names the setup command that fixes it.</summary>
public static class ProcessRunner
{
    /// <exception cref="InvalidOperationException">It could not start, or exited non-zero; the message holds <paramref name="hint"/> and stderr.</exception>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string hint)
    {
        var list = arguments.ToList();
        CommandRun run;
        try
        {
            run = await CommandRun.RunAsync(fileName, list, timeout);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{e.Message} ({hint})", e);
        }

        return run.ExitCode == 0
            ? run.Stdout
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', list)} exited with {run.ExitCode} ({hint}):\n{run.Stdout}\n{run.Stderr}");
    }
}
