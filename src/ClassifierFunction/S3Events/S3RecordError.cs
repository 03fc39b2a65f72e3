namespace Mic.ClassifierFunction.S3Events;

/// <summary>A permanent failure: <see cref="Kind"/> is an outcome name (<c>corrupt</c>, <c>too_large</c>, ...).</summary>
internal sealed record S3RecordError(string Kind, string Message);
