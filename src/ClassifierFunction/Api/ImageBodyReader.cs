using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Mic.ClassifierFunction.Api;

/// <summary>
/// Reads the image from a request: the raw body, or the first file part of a <c>multipart/form-data</c> body.
/// Never reads more than the byte limit plus one byte, and never buffers the whole request first.
/// </summary>
internal static class ImageBodyReader
{
    private const int InitialBuffer = 64 * 1024;

    /// <summary>Reads at most <paramref name="maxBytes"/>; <paramref name="tooLarge"/> is the 413's detail (the limit's reason and what to do).</summary>
    /// <exception cref="ImageBodyException">Too large (413), or a form without a file (400).</exception>
    public static async Task<ImageBody> ReadAsync(HttpRequest request, long maxBytes, string tooLarge, CancellationToken cancellationToken)
    {
        try
        {
            if (request.HasFormContentType && request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            {
                return await ReadMultipartAsync(request, maxBytes, tooLarge, cancellationToken).ConfigureAwait(false);
            }

            if (request.ContentLength > maxBytes)
            {
                throw TooLarge(tooLarge);
            }

            return await ReadLimitedAsync(request.Body, request.ContentLength, maxBytes, tooLarge, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(tooLarge);
        }
        catch (InvalidDataException e)
        {
            throw new ImageBodyException(StatusCodes.Status400BadRequest, "Malformed form", $"the multipart body could not be read: {e.Message}");
        }
    }

    private static async Task<ImageBody> ReadMultipartAsync(HttpRequest request, long maxBytes, string tooLarge, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new ImageBodyException(StatusCodes.Status400BadRequest, "Malformed form", "multipart/form-data without a boundary");
        }

        var reader = new MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                && (disposition.FileName.HasValue || disposition.FileNameStar.HasValue))
            {
                return await ReadLimitedAsync(section.Body, null, maxBytes, tooLarge, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new ImageBodyException(StatusCodes.Status400BadRequest, "No image in form",
            "the multipart form has no file part; send the image as a file field (e.g. curl -F file=@photo.jpg)");
    }

    private static async Task<ImageBody> ReadLimitedAsync(Stream body, long? length, long maxBytes, string tooLarge, CancellationToken cancellationToken)
    {
        var buffer = ImageBodyPool.Instance.Rent((int)Math.Min(maxBytes + 1, length + 1 ?? InitialBuffer));
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled > maxBytes)
                    {
                        throw TooLarge(tooLarge);
                    }

                    var larger = ImageBodyPool.Instance.Rent((int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ImageBodyPool.Instance.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            if (filled > maxBytes)
            {
                throw TooLarge(tooLarge);
            }

            return new ImageBody(buffer, filled);
        }
        catch
        {
            ImageBodyPool.Instance.Return(buffer);
            throw;
        }
    }

    private static ImageBodyException TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Image too large", detail);
}
