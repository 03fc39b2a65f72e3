using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using Mic.ClassifierFunction.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Uploads;

/// <summary>
/// <c>POST /uploads</c> signs an S3 POST form for one original under the upload prefix; <c>GET /results/{key}</c> reads
/// the result the S3-triggered classification wrote. Keys are generated here (date + random id), never taken from
/// the client, and the signed policy pins the key, the content type and the byte range. A POST policy is used
/// rather than a presigned PUT because S3 enforces its <c>content-length-range</c>; a PUT URL cannot bound the size.
/// </summary>
internal static partial class UploadsApi
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = ".jpg",
        ["image/png"] = ".png",
        ["image/webp"] = ".webp",
        ["image/gif"] = ".gif",
        ["image/bmp"] = ".bmp",
        ["image/tiff"] = ".tif",
    };

    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/uploads", GetSettings);
        app.MapPost("/uploads", CreateAsync).DisableAntiforgery();
        app.MapGet("/results/{**key}", GetResultAsync);
        return app;
    }

    internal static Results<Ok<UploadSettings>, ProblemHttpResult> GetSettings(IOptions<UploadOptions> options,
        IOptions<ClassifierFunctionOptions> limits) =>
        string.IsNullOrEmpty(options.Value.Bucket)
            ? NotConfigured()
            : TypedResults.Ok(new UploadSettings(limits.Value.MaxImageBytes, options.Value.ExpirySeconds, limits.Value.RequestLimit));

    internal static async Task<Results<Ok<UploadTicket>, ProblemHttpResult>> CreateAsync(
        UploadRequest request, IOptions<UploadOptions> options, IOptions<S3EventOptions> events, IOptions<ClassifierFunctionOptions> limits,
        [FromKeyedServices(ImagesBucket.ClientKey)] IAmazonS3 s3, TimeProvider clock)
    {
        var bucket = options.Value.Bucket;
        if (string.IsNullOrEmpty(bucket))
        {
            return NotConfigured();
        }

        if (request.ContentType is null || !Extensions.TryGetValue(request.ContentType, out var extension))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Not a supported image",
                $"content type '{request.ContentType}' is not accepted; use one of {string.Join(", ", Extensions.Keys)}");
        }

        var maxBytes = limits.Value.MaxImageBytes;
        if (request.Bytes < 1 || request.Bytes > maxBytes)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Image too large",
                $"the file is {request.Bytes} bytes; uploads must be 1 to {maxBytes} bytes (Mic:MaxImageBytes)");
        }

        var now = clock.GetUtcNow();
        var name = $"{now:yyyy/MM/dd}/{Guid.NewGuid():N}{extension}";
        var key = events.Value.UploadPrefix + name;
        var expires = now.AddSeconds(options.Value.ExpirySeconds);
        var contentType = request.ContentType.ToLowerInvariant();
        var post = await s3.CreatePresignedPostAsync(new CreatePresignedPostRequest
        {
            BucketName = bucket,
            Key = key,
            Expires = expires.UtcDateTime,
            Fields = new Dictionary<string, string> { ["Content-Type"] = contentType },
            Conditions =
            [
                S3PostCondition.ExactMatch("Content-Type", contentType),
                S3PostCondition.ContentLengthRange(1, maxBytes),
            ],
        }).ConfigureAwait(false);

        return TypedResults.Ok(new UploadTicket(post.Url, post.Fields, key, expires, maxBytes, $"results/{name}"));
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetResultAsync(
        string key, IOptions<UploadOptions> options, IOptions<S3EventOptions> events,
        [FromKeyedServices(ImagesBucket.ClientKey)] IAmazonS3 s3, CancellationToken cancellationToken)
    {
        var bucket = options.Value.Bucket;
        if (string.IsNullOrEmpty(bucket))
        {
            return NotConfigured();
        }

        if (!GeneratedKey().IsMatch(key))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid key",
                "results are looked up by the key POST /uploads returned (yyyy/MM/dd/<32 hex digits>.<ext>)");
        }

        try
        {
            using var response = await s3.GetObjectAsync(bucket, events.Value.ResultKey(events.Value.UploadPrefix + key), cancellationToken)
                .ConfigureAwait(false);
            using var reader = new StreamReader(response.ResponseStream);
            var json = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return TypedResults.Content(json, "application/json");
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return Problem(StatusCodes.Status404NotFound, "No result yet",
                "the upload has not been classified yet (or was never uploaded); try again in a second");
        }
    }

    private static ProblemHttpResult NotConfigured() =>
        Problem(StatusCodes.Status404NotFound, "Uploads are off", "direct uploads are not configured on this server (Mic:Uploads:Bucket)");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    [GeneratedRegex(@"^\d{4}/\d{2}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp|gif|bmp|tif)$")]
    private static partial Regex GeneratedKey();
}
