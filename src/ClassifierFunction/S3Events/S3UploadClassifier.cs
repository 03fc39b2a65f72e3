using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Mic.ClassifierFunction.Hosting;
using Mic.ClassifierFunction.Telemetry;
using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Store;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.S3Events;

/// <summary>
/// Classifies one uploaded object and writes its result object. Permanent failures (missing object, over the byte
/// limit, not a decodable image) are written as a result with an <c>error</c>, since retrying cannot fix them; any
/// other failure (S3 errors, throttling, timeouts, no model loaded yet) throws so that Lambda retries the event.
/// Writing a result again for the same upload only replaces it. Thread-safe.
/// </summary>
public sealed class S3UploadClassifier(
    [FromKeyedServices(S3UploadClassifier.ImagesClientKey)] IAmazonS3 s3,
    ModelHost host,
    ImageClassifier classifier,
    IOptions<S3EventOptions> options,
    IOptions<ClassifierFunctionOptions> functionOptions,
    RequestLog log)
{
    /// <summary>The DI key of the images bucket's S3 client.</summary>
    public const string ImagesClientKey = "mic-images";

    public const string Operation = "s3 ObjectCreated";

    private readonly S3EventOptions _options = options.Value;

    /// <summary>True for keys this function classifies: under the upload prefix and not under the results prefix.</summary>
    public bool IsUpload(string key) =>
        key.StartsWith(_options.UploadPrefix, StringComparison.Ordinal)
        && !key.StartsWith(_options.ResultsPrefix, StringComparison.Ordinal)
        && key.Length > _options.UploadPrefix.Length
        && !key.EndsWith('/');

    public string ResultKey(string key) => _options.ResultsPrefix + key[_options.UploadPrefix.Length..] + ".json";

    /// <summary>Classifies <paramref name="key"/> (already URL-decoded) and returns the outcome name it was logged with.</summary>
    /// <exception cref="Exception">A failure worth retrying; nothing was written.</exception>
    public async Task<string> ProcessAsync(string bucket, string key, string requestId, string? traceId, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var entry = new RequestLogEntry(Operation, RequestOutcomes.Skipped, 0) { RequestId = requestId, TraceId = traceId, Target = $"{bucket}/{key}" };
        if (!IsUpload(key))
        {
            log.Write(entry with { LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds, Error = "not under the upload prefix" });
            return RequestOutcomes.Skipped;
        }

        var record = new S3ClassificationRecord(bucket, key, null, null);
        try
        {
            using var lease = host.TryAcquire()
                ?? throw new InvalidOperationException($"no model is loaded yet from {host.Store.Location}; the event is retried");
            entry = entry with { ModelVersion = lease.Classifier.Manifest.Version };
            record = record with { ModelVersion = entry.ModelVersion };

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
            var maxBytes = classifier.Decoder.Limits.MaxBytes;
            if (head.ContentLength > maxBytes)
            {
                return await RejectAsync(entry, record, start, RequestOutcomes.TooLarge,
                    $"the object is {head.ContentLength} bytes, over the limit of {maxBytes} (Mic:MaxImageBytes)", cancellationToken).ConfigureAwait(false);
            }

            var downloadStart = Stopwatch.GetTimestamp();
            var (buffer, length) = await DownloadAsync(bucket, key, head, cancellationToken).ConfigureAwait(false);
            try
            {
                if (buffer is null)
                {
                    return await RejectAsync(entry, record, start, RequestOutcomes.NotFound,
                        "the object was deleted while it was being read", cancellationToken).ConfigureAwait(false);
                }

                var downloadMs = Stopwatch.GetElapsedTime(downloadStart).TotalMilliseconds;
                ClassificationResult result;
                try
                {
                    result = classifier.Classify(lease.Classifier, buffer.AsMemory(0, length), functionOptions.Value.DefaultTop, cancellationToken);
                }
                catch (ImageDecodeException e)
                {
                    return await RejectAsync(entry with { DownloadMs = downloadMs }, record, start, RequestOutcomes.From(e.Kind), e.Message,
                        cancellationToken).ConfigureAwait(false);
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
                log.Write(entry with
                {
                    Outcome = RequestOutcomes.Ok,
                    LatencyMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
                    DownloadMs = downloadMs,
                    Timings = t,
                });
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

    /// <summary>The object's bytes in a pooled buffer, or null when it vanished after the HEAD.</summary>
    private async Task<(byte[]? Buffer, int Length)> DownloadAsync(string bucket, string key, GetObjectMetadataResponse head,
        CancellationToken cancellationToken)
    {
        // Pinned to the version the size was checked on: an overwrite in between fails with 412 and is retried.
        var request = new GetObjectRequest { BucketName = bucket, Key = key, EtagToMatch = head.ETag };
        GetObjectResponse response;
        try
        {
            response = await s3.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, 0);
        }

        using (response)
        {
            var length = (int)head.ContentLength;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            try
            {
                await response.ResponseStream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                return (buffer, length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

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
            Key = ResultKey(record.Key),
            InputStream = content,
            ContentType = "application/json",
            AutoCloseStream = false,
        }, cancellationToken).ConfigureAwait(false);
    }
}
