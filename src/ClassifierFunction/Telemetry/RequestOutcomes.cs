using Mic.ClassifierFunction.Classification;

namespace Mic.ClassifierFunction.Telemetry;

/// <summary>The outcome names used as the <c>Outcome</c> metric dimension: errors by kind.</summary>
internal static class RequestOutcomes
{
    public const string Ok = "ok";
    public const string Skipped = "skipped";
    public const string BadRequest = "bad_request";
    public const string NotFound = "not_found";
    public const string TooLarge = "too_large";
    public const string Unsupported = "unsupported_format";
    public const string Corrupt = "corrupt";
    public const string NoModel = "no_model";
    public const string Cancelled = "cancelled";
    public const string ClientError = "client_error";
    public const string ServerError = "server_error";
    public const string Transient = "transient";
    public const string Refused = "refused";

    public static string FromStatus(int status) => status switch
    {
        < 400 => Ok,
        400 => BadRequest,
        404 => NotFound,
        413 => TooLarge,
        415 => Unsupported,
        499 => Cancelled,
        503 => NoModel,
        < 500 => ClientError,
        _ => ServerError,
    };

    public static string From(ClassificationFailure failure) => failure switch
    {
        ClassificationFailure.NoModel => NoModel,
        ClassificationFailure.TooLarge => TooLarge,
        ClassificationFailure.UnsupportedFormat => Unsupported,
        _ => Corrupt,
    };
}
