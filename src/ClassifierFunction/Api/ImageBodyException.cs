namespace Mic.ClassifierFunction.Api;

/// <summary>A request body that carries no usable image; becomes a problem response with <see cref="StatusCode"/>.</summary>
internal sealed class ImageBodyException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;
}
