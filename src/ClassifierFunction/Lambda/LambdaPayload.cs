namespace Mic.ClassifierFunction.Lambda;

/// <summary>
/// Lambda's limit on a synchronous invocation: the event and the response are 6 MB (6,291,456 bytes) each. An API
/// request whose event is larger never reaches the function (API Gateway answers it); a larger response is not
/// delivered.
/// </summary>
internal static class LambdaPayload
{
    public const int MaxBytes = 6 * 1024 * 1024;

    /// <summary>
    /// The largest request body whose event always fits: API Gateway sends binary bodies as base64 (4 bytes per 3),
    /// and 4,500,000 bytes become 6,000,000, leaving about 290 KB for the headers and request context.
    /// </summary>
    public const long MaxRequestBodyBytes = 4_500_000;
}
