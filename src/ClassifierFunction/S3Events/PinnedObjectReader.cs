using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Mic.ClassifierFunction.S3Events;

/// <summary>Reads an object whose size was checked with a HEAD, pinned to that HEAD's version.</summary>
internal static class PinnedObjectReader
{
    /// <summary>
    /// The object's bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/> (the caller returns it), or a null
    /// buffer when the object vanished after the HEAD. An overwrite in between fails with 412, an
    /// <see cref="AmazonS3Exception"/>: worth retrying.
    /// </summary>
    public static async Task<(byte[]? Buffer, int Length)> ReadAsync(IAmazonS3 s3, string bucket, string key, GetObjectMetadataResponse head,
        CancellationToken cancellationToken)
    {
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
}
