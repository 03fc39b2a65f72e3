using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Mic.ClassifierFunction.Api;
using Mic.ClassifierFunction.Classification;
using Mic.ClassifierFunction.Configuration;
using Mic.ClassifierFunction.S3Events;
using Mic.Core.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Feedback;

/// <summary>
/// Checks one feedback request and hands the image to <see cref="FeedbackRecorder"/>. The label must be one of the
/// served model's labels, or <see cref="FeedbackLayout.Unlabelled"/> ("none of these"). The image is either the body
/// (at most <see cref="FeedbackOptions.MaxImageBytes"/>) or an object under the upload prefix of the images bucket,
/// named by its key; never both, never any other key. The image is classified before it is stored: a file that is not
/// an image MIC reads is refused like on <c>POST /classify</c>, and the sidecar records what the model said.
/// </summary>
internal sealed class FeedbackIntake(
    ServingClassifier classifier,
    ModelHost host,
    FeedbackRecorder recorder,
    ImagesBucketClient s3,
    IOptions<ClassifierFunctionOptions> functionOptions,
    IOptions<FeedbackOptions> feedbackOptions,
    IOptions<UploadOptions> uploadOptions,
    IOptions<S3EventOptions> eventOptions)
{
    public async Task<FeedbackOutcome> ReceiveAsync(HttpRequest request, string? label, string? key, CancellationToken cancellationToken)
    {
        if (host.Manifest is not { } manifest)
        {
            return ClassifierApi.NoModel();
        }

        if (string.IsNullOrEmpty(label))
        {
            return BadRequest("Missing label", $"say which label is right: ?label=<one of the model's labels>, or ?label={FeedbackLayout.Unlabelled} for none of them");
        }

        if (label != FeedbackLayout.Unlabelled && !(manifest.Labels.Contains(label, StringComparer.Ordinal) && FeedbackLayout.IsTrainingLabel(label)))
        {
            return BadRequest("Unknown label",
                $"'{Shorten(label)}' is not a label of model {manifest.Version}; use one of its labels ({Shorten(string.Join(", ", manifest.Labels))}) " +
                $"or {FeedbackLayout.Unlabelled} for none of them");
        }

        return key is null
            ? await FromBodyAsync(request, label, cancellationToken).ConfigureAwait(false)
            : await FromUploadAsync(request, label, key, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FeedbackOutcome> FromBodyAsync(HttpRequest request, string label, CancellationToken cancellationToken)
    {
        var limit = Math.Min(feedbackOptions.Value.MaxImageBytes, functionOptions.Value.RequestLimit);
        try
        {
            using var body = await ImageBodyReader.ReadAsync(request, limit,
                $"the body is larger than {limit} bytes, the most POST /feedback takes (Mic:Feedback:MaxImageBytes); send a downscaled copy, " +
                "or the key of an upload (?key=uploads/...)", cancellationToken).ConfigureAwait(false);
            if (body.Bytes.IsEmpty)
            {
                return BadRequest("No image", "send the image in the body (as to POST /classify), or the key of an upload (?key=uploads/...)");
            }

            return await RecordAsync(label, body.Bytes, FeedbackSource.FromRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (ImageBodyException e)
        {
            return ClassifierApi.Problem(e.StatusCode, e.Title, e.Message);
        }
    }

    private async Task<FeedbackOutcome> FromUploadAsync(HttpRequest request, string label, string key, CancellationToken cancellationToken)
    {
        var bucket = uploadOptions.Value.Bucket;
        var events = eventOptions.Value;
        if (request.ContentLength > 0)
        {
            return BadRequest("Image and key", "send the image in the body or name an upload with ?key=, not both");
        }

        if (string.IsNullOrEmpty(bucket))
        {
            return BadRequest("Invalid key", "uploads are not configured on this server (Mic:Uploads:Bucket); send the image in the body instead");
        }

        if (key.Length > 1024 || !events.IsUpload(key))
        {
            return BadRequest("Invalid key", $"only an upload's key, under {events.UploadPrefix}, can be given (as POST /uploads returned it)");
        }

        GetObjectMetadataResponse head;
        try
        {
            head = await s3.Value.GetObjectMetadataAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return NoSuchUpload();
        }

        if (head.ContentLength > classifier.MaxImageBytes)
        {
            return ClassifierApi.Problem(StatusCodes.Status413PayloadTooLarge, "Image too large",
                $"the upload is {head.ContentLength} bytes, over the limit of {classifier.MaxImageBytes} (Mic:MaxImageBytes)");
        }

        var (buffer, length) = await PinnedObjectReader.ReadAsync(s3.Value, bucket, key, head, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
        {
            return NoSuchUpload();
        }

        try
        {
            var source = new FeedbackSource(FeedbackSource.Upload, bucket, key, head.ETag);
            return await RecordAsync(label, buffer.AsMemory(0, length), source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<FeedbackOutcome> RecordAsync(string label, ReadOnlyMemory<byte> image, FeedbackSource source, CancellationToken cancellationToken)
    {
        var outcome = classifier.Classify(image, functionOptions.Value.DefaultTop, cancellationToken);
        if (outcome.Failure is not null)
        {
            return ClassifierApi.Refused(outcome);
        }

        return await recorder.RecordAsync(label, image, outcome.Result!, source, cancellationToken).ConfigureAwait(false);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static ProblemHttpResult NoSuchUpload() =>
        ClassifierApi.Problem(StatusCodes.Status404NotFound, "No such upload", "nothing was uploaded under that key (or it has expired)");

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        ClassifierApi.Problem(StatusCodes.Status400BadRequest, title, detail);
}
