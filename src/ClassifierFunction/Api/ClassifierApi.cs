using Mic.ClassifierFunction.Classification;
using Mic.ClassifierFunction.Configuration;
using Mic.Core.Inference;
using Mic.Core.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Api;

/// <summary><c>POST /classify</c>, <c>GET /model</c> and <c>GET /healthz</c>.</summary>
internal static class ClassifierApi
{
    public const int MaxTop = 1000;

    public static IEndpointRouteBuilder MapClassifierRoutes(this IEndpointRouteBuilder app)
    {
        app.MapPost("/classify", ClassifyAsync).DisableAntiforgery();
        app.MapGet("/model", GetModel);
        app.MapGet("/healthz", GetHealth);
        return app;
    }

    /// <summary>Classifies the raw body (any image content type) or the first file of a multipart form.</summary>
    internal static async Task<Results<Ok<ClassificationResult>, ProblemHttpResult>> ClassifyAsync(
        HttpRequest request, ServingClassifier classifier, IOptions<ClassifierFunctionOptions> options, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var top = settings.DefaultTop;
        if (request.Query.TryGetValue("top", out var topText)
            && (!int.TryParse(topText, out top) || top is < 1 or > MaxTop))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid top", $"top must be an integer from 1 to {MaxTop}");
        }

        if (classifier.ModelVersion is null)
        {
            return NoModel(); // before reading a body that no model could classify
        }

        ClassificationOutcome outcome;
        try
        {
            using var body = await ImageBodyReader.ReadAsync(request, settings.RequestLimit, TooLarge(settings), cancellationToken)
                .ConfigureAwait(false);
            outcome = classifier.Classify(body.Bytes, top, cancellationToken);
        }
        catch (ImageBodyException e)
        {
            return Problem(e.StatusCode, e.Title, e.Message);
        }

        return outcome.Failure is null ? TypedResults.Ok(outcome.Result!) : Refused(outcome);
    }

    /// <summary>The problem for an image that got no predictions (<see cref="ClassificationOutcome.Failure"/> set).</summary>
    internal static ProblemHttpResult Refused(ClassificationOutcome outcome) => outcome.Failure switch
    {
        ClassificationFailure.NoModel => NoModel(),
        ClassificationFailure.TooLarge => Problem(StatusCodes.Status413PayloadTooLarge, "Image too large", outcome.Message),
        ClassificationFailure.UnsupportedFormat => Problem(StatusCodes.Status415UnsupportedMediaType, "Not a supported image", outcome.Message),
        _ => Problem(StatusCodes.Status400BadRequest, "Corrupt image", outcome.Message),
    };

    internal static Results<Ok<ModelSummary>, ProblemHttpResult> GetModel(ModelHost host) =>
        host.Manifest is { } manifest ? TypedResults.Ok(ModelSummary.From(manifest)) : NoModel();

    internal static Results<Ok<HealthStatus>, ProblemHttpResult> GetHealth(ModelHost host) =>
        host.Manifest is { } manifest ? TypedResults.Ok(new HealthStatus("ok", manifest.Version)) : NoModel();

    /// <summary>What a body over the request limit is told: where the limit comes from, and the route for larger images.</summary>
    private static string TooLarge(ClassifierFunctionOptions settings) =>
        settings.RequestLimit < settings.MaxImageBytes
            ? $"the body is larger than {settings.RequestLimit} bytes, the most one API request carries (Mic:MaxRequestBytes); " +
              $"images up to {settings.MaxImageBytes} bytes go through the upload route: POST /uploads returns a signed upload form, " +
              "and GET /results/{key} the result"
            : $"the image is larger than the limit of {settings.MaxImageBytes} bytes (Mic:MaxImageBytes)";

    // Names no bucket, account or path: the store's location is in the log, not in a public answer.
    internal static ProblemHttpResult NoModel() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "No model yet", ClassificationOutcome.NoModel.Message);

    internal static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
