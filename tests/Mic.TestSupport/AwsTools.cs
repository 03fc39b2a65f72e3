namespace Mic.TestSupport;

/// <summary>
/// The AWS tools the tests run for real, as a user would: <c>cfn-lint</c>, <c>aws</c> (awscli), <c>moto_server</c> and a
/// Python with <c>cfnlint</c>, <c>samtranslator</c> and <c>botocore</c>. They come from the machine's Python (on this
/// project's machines the pyenv one, whose shims are on PATH only in login shells), so each is looked up on PATH and
/// then in <c>~/.pyenv/shims</c>. A missing tool fails the test with what to install.
/// </summary>
public static class AwsTools
{
    private const string Install = "install them into the machine's Python: pip install cfn-lint aws-sam-translator awscli moto[server]";

    private static readonly Lazy<string> PythonPath = new(FindPython);

    /// <summary>A Python 3 that can import cfnlint, samtranslator and botocore.</summary>
    public static string Python => PythonPath.Value;

    public static string CfnLint => Find("cfn-lint");

    public static string MotoServer => Find("moto_server");

    /// <summary>The full path of <paramref name="command"/> (<c>cfn-lint</c>, <c>aws</c>, <c>moto_server</c>).</summary>
    /// <exception cref="InvalidOperationException">Not on PATH nor in ~/.pyenv/shims.</exception>
    public static string Find(string command) =>
        Candidates(command).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"'{command}' is not on PATH nor in ~/.pyenv/shims: {Install}");

    /// <summary>Runs a Python script with <see cref="Python"/>; its stdout, or an error with its stderr.</summary>
    public static Task<string> RunPythonAsync(string script, IEnumerable<string> arguments, TimeSpan timeout) =>
        ProcessRunner.RunAsync(Python, [script, .. arguments], timeout, Install);

    private static IEnumerable<string> Candidates(string command)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(home, ".pyenv", "shims"))
            .Select(directory => Path.Combine(directory, command));
    }

    private static string FindPython()
    {
        foreach (var python in Candidates("python3").Where(File.Exists).Distinct())
        {
            try
            {
                ProcessRunner.RunAsync(python, ["-c", "import cfnlint, samtranslator, botocore"], TimeSpan.FromSeconds(60), Install)
                    .GetAwaiter().GetResult();
                return python;
            }
            catch (InvalidOperationException)
            {
                // This Python lacks them; try the next.
            }
        }

        throw new InvalidOperationException($"no python3 on PATH or in ~/.pyenv/shims can import cfnlint, samtranslator and botocore: {Install}");
    }
}
