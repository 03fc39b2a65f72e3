namespace Mic.Core.Inference;

/// <summary>The answer to one classified image. Predictions are sorted by probability, highest first.</summary>
public sealed record ClassificationResult(
    string ModelVersion,
    IReadOnlyList<Prediction> Predictions,
    ImageSummary Image,
    StageTimings Timings);

/// <summary>The decoded image's upright size in pixels and its format name.</summary>
public sealed record ImageSummary(int Width, int Height, string Format);

/// <summary>
/// Milliseconds spent per stage of one classification. <see cref="DecodeMs"/> covers reading the header and checking
/// the limits and the file's structure; the pixels are decoded inside <see cref="ResizeMs"/>, at the reduced scale
/// the model's input allows, together with cropping and scaling (one libvips pass).
/// </summary>
public sealed record StageTimings(double DecodeMs, double ResizeMs, double InferenceMs, double TotalMs);
