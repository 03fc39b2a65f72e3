using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Mic.Core.Inference;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Feedback;

/// <summary>
/// Stores one labelled image under <c>feedback/&lt;label&gt;/&lt;sha256&gt;.&lt;ext&gt;</c> of the model store, with its sidecar.
/// The content hash in the key makes the same image and label one object: a second call writes nothing. An image that
/// is an object in S3 (an upload) is copied server-side when the store is in S3 too, pinned to the ETag that was read,
/// so the bytes stored are the bytes that were hashed and classified; otherwise the bytes given are written. The image
/// is written before its sidecar, so a sidecar always has its image. Thread-safe.
/// </summary>
internal sealed class FeedbackRecorder(OpenedStore opened, ImagesBucketClient s3, TimeProvider clock)
{
    private readonly IModelStore _store = opened.Store;

    /// <summary>
    /// Stores <paramref name="image"/> (the bytes that were classified into <paramref name="result"/>) under
    /// <paramref name="label"/>: a model label, <see cref="FeedbackLayout.Unlabelled"/> or <see cref="FeedbackLayout.Uncertain"/>.
    /// </summary>
    public async Task<FeedbackReceipt> RecordAsync(string label, ReadOnlyMemory<byte> image, ClassificationResult result, FeedbackSource source,
        CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(image.Span));
        var key = new FeedbackImageKey(label, sha256, FeedbackLayout.Extension(result.Image.Format));
        var existing = await _store.ListAsync(key.Key, cancellationToken).ConfigureAwait(false);
        if (existing.Contains(key.Key, StringComparer.Ordinal))
        {
            return new FeedbackReceipt(key.Key, label, sha256, Created: false);
        }

        var contentType = $"image/{result.Image.Format.ToLowerInvariant()}";
        if (source.IsObject && _store is S3ModelStore s3Store)
        {
            await s3.Value.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = source.Bucket,
                SourceKey = source.Key,
                ETagToMatch = source.ETag,
                DestinationBucket = s3Store.Bucket,
                DestinationKey = s3Store.Prefix + key.Key,
                ContentType = contentType,
                MetadataDirective = S3MetadataDirective.REPLACE,
            }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var content = AsStream(image);
            await _store.TryCreateAsync(key.Key, content, contentType, cancellationToken).ConfigureAwait(false);
        }

        var top = result.Predictions[0];
        var sidecar = new FeedbackSidecar(label, sha256, key.Key, result.ModelVersion, top.Label, top.Probability, clock.GetUtcNow(), source.Kind)
        {
            SourceKey = source.Key,
            Predictions = result.Predictions,
        };
        using var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(sidecar, FeedbackJsonContext.Default.FeedbackSidecar));
        var created = await _store.TryCreateAsync(key.SidecarKey, json, "application/json", cancellationToken).ConfigureAwait(false);
        return new FeedbackReceipt(key.Key, label, sha256, created);
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);
}
