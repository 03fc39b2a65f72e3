namespace Mic.ClassifierFunction.Lambda;

internal sealed class LambdaRuntimeOptions
{
    /// <summary>Set by Lambda (and by any Runtime API peer) to the API's <c>host:port</c>.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>Read by the AWS SDKs and X-Ray; set to each invocation's trace id.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>The Runtime API's <c>host:port</c>; defaults to <see cref="RuntimeApiVariable"/>.</summary>
    public string? RuntimeApi { get; set; } = Environment.GetEnvironmentVariable(RuntimeApiVariable);

    /// <summary>
    /// How long before the invocation's deadline its cancellation token fires, so the function can still report a
    /// clean timeout error before Lambda stops it.
    /// </summary>
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>True when this process was started by Lambda (or a Runtime API peer) rather than to serve HTTP.</summary>
    public static bool IsLambdaEnvironment => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RuntimeApiVariable));
}
