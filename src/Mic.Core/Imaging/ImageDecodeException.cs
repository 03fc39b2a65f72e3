namespace Mic.Core.Imaging;

/// <summary>An input that is not a decodable image within the limits; <see cref="Kind"/> says why.</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException(ImageErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public ImageErrorKind Kind { get; }
}
