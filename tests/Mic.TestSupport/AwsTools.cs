namespace Mic.TestSupport;

/// <summary>
/// The AWS tools the tests run for real: cfn-lint, SAM's translator, botocore and moto_server, installed in the
/// machine image's pyenv Python (<c>~/.pyenv/shims</c>, which is on PATH only in login shells). A missing tool fails the
/// test with a message naming it.
/// </summary>
public static class AwsTools
{
    private const string Hint = "the AWS tools (cfn-lint, aws-sam-translator, botocore, moto) live in the pyenv Python: ~/.pyenv/shims";

    /// <summary>The pyenv Python, which has botocore, boto3 and aws-sam-translator.</summary>
    public static string Python => Find("python3");

    public static string CfnLint => Find("cfn-lint");

    public static string MotoServer => Find("moto_server");

    /// <summary>Runs a Python script with the pyenv Python; its stdout, or an error with its stderr.</summary>
    public static Task<string> RunPythonAsync(string script, IEnumerable<string> arguments, TimeSpan timeout) =>
        ProcessRunner.RunAsync(Python, [script, .. arguments], timeout, Hint);

    private static string Find(string name)
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? "";
        var pyenvRoot = Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } root ? root : Path.Combine(home, ".pyenv");
        var shim = Path.Combine(pyenvRoot, "shims", name);
        if (File.Exists(shim))
        {
            return shim;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{name} not found in {shim} or on PATH ({Hint})");
    }
}
