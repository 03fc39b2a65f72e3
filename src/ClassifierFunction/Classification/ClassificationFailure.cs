namespace Mic.ClassifierFunction.Classification;

/// <summary>Why an image got no predictions.</summary>
internal enum ClassificationFailure
{
    /// <summary>No model is loaded yet; worth retrying later.</summary>
    NoModel,

    /// <summary>Over the byte or pixel limit.</summary>
    TooLarge,

    /// <summary>Not an image, or a format MIC does not read.</summary>
    UnsupportedFormat,

    /// <summary>A damaged or truncated image.</summary>
    Corrupt,
}
