namespace Mic.ClassifierFunction.Configuration;

/// <summary>The images bucket's S3 client: a keyed singleton, made from the model store's <c>Mic:S3</c> settings.</summary>
internal static class ImagesBucket
{
    public const string ClientKey = "mic-images";
}
