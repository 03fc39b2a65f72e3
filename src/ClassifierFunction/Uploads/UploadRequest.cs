namespace Mic.ClassifierFunction.Uploads;

/// <summary>What the page says about the file it wants to upload.</summary>
internal sealed record UploadRequest(string? ContentType, long Bytes);
