namespace Mic.ClassifierFunction.S3Events;

/// <summary>Milliseconds: the download, then the classifier's stages.</summary>
internal sealed record S3Timings(double DownloadMs, double DecodeMs, double ResizeMs, double InferenceMs, double TotalMs);
