using Mic.ClassifierFunction.Hosting;
using Mic.ClassifierFunction.Uploads;
using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Api;

public static class ClassifierApi
{
    public const int MaxTop = 1000;

    public static IEndpointRouteBuilder MapClassifierApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("");
        api.MapPost("/classify", ClassifyAsync).DisableAntiforgery();
        api.MapGet("/model", GetModel);
        api.MapGet("/healthz", GetHealth);
        app.MapUploadPage();
        app.MapUploadsApi();
        return app;
    }

    /// <summary>Classifies the raw body (any image content type) or the first file of a multipart form.</summary>
    internal static async Task<Results<Ok<ClassificationResult>, ProblemHttpResult>> ClassifyAsync(
        HttpRequest request, ModelHost host, ImageClassifier classifier, IOptions<ClassifierFunctionOptions> options,
        CancellationToken cancellationToken)
    {
        var top = options.Value.DefaultTop;
        if (request.Query.TryGetValue("top", out var topText)
            && (!int.TryParse(topText, out top) || top is < 1 or > MaxTop))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid top", $"top must be an integer from 1 to {MaxTop}");
        }

        using var lease = host.TryAcquire();
        if (lease is null)
        {
            return NoModel(host);
        }

        try
        {
            using var body = await ImageBodyReader.ReadAsync(request, classifier.Decoder.Limits.MaxBytes, cancellationToken)
                .ConfigureAwait(false);
            return TypedResults.Ok(classifier.Classify(lease.Classifier, body.Bytes, top, cancellationToken));
        }
        catch (ImageBodyException e)
        {
            return Problem(e.StatusCode, e.Title, e.Message);
        }
        catch (ImageDecodeException e)
        {
            return e.Kind switch
            {
                ImageErrorKind.TooLarge => Problem(StatusCodes.Status413PayloadTooLarge, "Image too large", e.Message),
                ImageErrorKind.UnsupportedFormat => Problem(StatusCodes.Status415UnsupportedMediaType, "Not a supported image", e.Message),
                _ => Problem(StatusCodes.Status400BadRequest, "Corrupt image", e.Message),
            };
        }
    }

    internal static Results<Ok<ModelSummary>, ProblemHttpResult> GetModel(ModelHost host) =>
        host.Manifest is { } manifest ? TypedResults.Ok(ModelSummary.From(manifest)) : NoModel(host);

    internal static Results<Ok<HealthStatus>, ProblemHttpResult> GetHealth(ModelHost host) =>
        host.Manifest is { } manifest ? TypedResults.Ok(new HealthStatus("ok", manifest.Version)) : NoModel(host);

    private static ProblemHttpResult NoModel(ModelHost host) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "No model yet",
            $"no model is published in {host.Store.Location} yet: publish a bundle there " +
            $"(models/<version>/manifest.json and model.onnx, then {ModelHost.LatestKey}); it is picked up within the poll interval");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
