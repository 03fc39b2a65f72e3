using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Mic.ClassifierFunction.Classification;
using Mic.ClassifierFunction.Configuration;
using Mic.ClassifierFunction.Feedback;
using Mic.ClassifierFunction.Telemetry;
using Mic.Core.Inference;
using Mic.Core.Store;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.S3Events;

/// <summary>
/// Classifies one uploaded object and writes its result object. Records of another bucket are refused and nothing is
/// written. Permanent failures (missing object, over the byte limit, not a decodable image) are written as a result
/// with an <c>error</c>, since retrying cannot fix them; any other failure (S3 errors, throttling, timeouts, no model
/// loaded yet) throws, so that the event is delivered again. Writing a result again for the same upload only
/// replaces it. An upload whose top probability is under <see cref="FeedbackOptions.UncertaintyThreshold"/> is also
/// copied to <c>feedback/_uncertain/</c> with its prediction, before its result is written, for a person to label.
/// Thread-safe.
/// </summary>
internal sealed class S3UploadClassifier(
    [FromKeyedServices(ImagesBucket.ClientKey)] IAmazonS3 s3,
    ServingClassifier classifier,
    IOptions<S3EventOptions> options,
    IOptions<ClassifierFunctionOptions> functionOptions,
    IOptions<FeedbackOptions> feedbackOptions,
    FeedbackRecorder feedback,
    RequestLog log)
{
    public const string Operation = "s3 ObjectCreated";

    private readonly S3EventOptions _options = options.Value;

    /// <summary>Classifies <paramref name="key"/> (already URL-decoded) and returns the outcome name it was logged with.</summary>
    /// <exception cref="Exception">A failure worth retrying; nothing was written.</exception>
    public async Task<string> ProcessAsync(string bucket, string key, string requestId, string? traceId, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var entry = new RequestLogEntry(Operation, RequestOutcomes.Skipped, 0) { RequestId = requestId, TraceId = traceId, Target = $"{bucket}/{key}" };
        if (string.IsNullOrEmpty(_options.Bucket) || !string.Equals(bucket, _options.Bucket, StringComparison.Ordinal))
        {
            log.Write(entry with
            {
                Outcome = RequestOutcomes.Refused,
                LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
                Error = string.IsNullOrEmpty(_options.Bucket)
                    ? $"not classified: {S3EventOptions.SectionName}:Bucket is not set"
                    : $"not classified: not the images bucket ({S3EventOptions.SectionName}:Bucket)",
            });
            return RequestOutcomes.Refused;
        }

        if (!_options.IsUpload(key))
        {
            log.Write(entry with { LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds, Error = "not under the upload prefix" });
            return RequestOutcomes.Skipped;
        }

        var record = new S3ClassificationRecord(bucket, key, null, null) { ModelVersion = classifier.ModelVersion };
        entry = entry with { ModelVersion = record.ModelVersion };
        try
        {
            if (record.ModelVersion is null)
            {
                throw NoModel();
            }

            GetObjectMetadataResponse head;
            try
            {
                head = await s3.GetObjectMetadataAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return await RejectAsync(entry, record, start, RequestOutcomes.NotFound,
                    "the object does not exist (deleted after it was uploaded?)", cancellationToken).ConfigureAwait(false);
            }

            record = record with { SourceETag = head.ETag?.Trim('"'), SourceBytes = head.ContentLength };
            if (head.ContentLength > classifier.MaxImageBytes)
            {
                return await RejectAsync(entry, record, start, RequestOutcomes.TooLarge,
                    $"the object is {head.ContentLength} bytes, over the limit of {classifier.MaxImageBytes} (Mic:MaxImageBytes)",
                    cancellationToken).ConfigureAwait(false);
            }

            var downloadStart = Stopwatch.GetTimestamp();
            var (buffer, length) = await PinnedObjectReader.ReadAsync(s3, bucket, key, head, cancellationToken).ConfigureAwait(false);
            try
            {
                if (buffer is null)
                {
                    return await RejectAsync(entry, record, start, RequestOutcomes.NotFound,
                        "the object was deleted while it was being read", cancellationToken).ConfigureAwait(false);
                }

                var downloadMs = Stopwatch.GetElapsedTime(downloadStart).TotalMilliseconds;
                var outcome = classifier.Classify(buffer.AsMemory(0, length), functionOptions.Value.DefaultTop, cancellationToken);
                record = record with { ModelVersion = outcome.ModelVersion };
                entry = entry with { ModelVersion = outcome.ModelVersion, DownloadMs = downloadMs };
                switch (outcome.Failure)
                {
                    case ClassificationFailure.NoModel:
                        throw NoModel();
                    case { } failure:
                        return await RejectAsync(entry, record, start, RequestOutcomes.From(failure), outcome.Message, cancellationToken)
                            .ConfigureAwait(false);
                }

                var result = outcome.Result!;
                if (IsUncertain(result))
                {
                    await feedback.RecordAsync(FeedbackLayout.Uncertain, buffer.AsMemory(0, length), result,
                        new FeedbackSource(FeedbackSource.Uncertain, bucket, key, head.ETag), cancellationToken).ConfigureAwait(false);
                }

                var t = result.Timings;
                record = record with
                {
                    Predictions = result.Predictions,
                    Image = result.Image,
                    Timings = new S3Timings(Math.Round(downloadMs, 3), t.DecodeMs, t.ResizeMs, t.InferenceMs,
                        Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3)),
                };
                await WriteResultAsync(record, cancellationToken).ConfigureAwait(false);
                log.Write(entry with { Outcome = RequestOutcomes.Ok, LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds, Timings = t });
                return RequestOutcomes.Ok;
            }
            finally
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e)
        {
            log.Write(entry with
            {
                Outcome = RequestOutcomes.Transient,
                LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
                Error = $"{e.GetType().Name}: {e.Message}",
            });
            throw;
        }
    }

    /// <summary>True when the queue for review is on and the top probability is under its threshold.</summary>
    private bool IsUncertain(ClassificationResult result) =>
        feedbackOptions.Value is { Enabled: true, UncertaintyThreshold: > 0 } settings
        && result.Predictions.Count > 0
        && result.Predictions[0].Probability < settings.UncertaintyThreshold;

    private static InvalidOperationException NoModel() => new("no model is loaded yet; the upload is classified when the event is delivered again");

    private async Task<string> RejectAsync(RequestLogEntry entry, S3ClassificationRecord record, long start, string outcome, string message,
        CancellationToken cancellationToken)
    {
        await WriteResultAsync(record with { Error = new S3RecordError(outcome, message) }, cancellationToken).ConfigureAwait(false);
        log.Write(entry with { Outcome = outcome, LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds, Error = message });
        return outcome;
    }

    private async Task WriteResultAsync(S3ClassificationRecord record, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(record, S3EventJsonContext.Default.S3ClassificationRecord));
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = record.Bucket,
            Key = _options.ResultKey(record.Key),
            InputStream = content,
            ContentType = "application/json",
            AutoCloseStream = false,
        }, cancellationToken).ConfigureAwait(false);
    }
}
