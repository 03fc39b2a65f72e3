namespace Mic.ClassifierFunction.Lambda;

/// <summary>Reports a failed start-up to Lambda, which then fails the waiting invocation with this message.</summary>
internal static class LambdaStartup
{
    /// <summary>
    /// Posts <paramref name="error"/> to the Runtime API's <c>init/error</c> when running on Lambda; returns false
    /// elsewhere, or when the Runtime API could not be told (the caller has already printed the error).
    /// </summary>
    public static async Task<bool> TryReportFailureAsync(LambdaError error)
    {
        if (!LambdaRuntimeOptions.IsLambdaEnvironment)
        {
            return false;
        }

        using var client = new RuntimeApiClient(Environment.GetEnvironmentVariable(LambdaRuntimeOptions.RuntimeApiVariable)!);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await client.ReportInitErrorAsync(error, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"could not report the start-up failure to the Lambda Runtime API: {e.Message}")
                .ConfigureAwait(false);
            return false;
        }
    }
}
