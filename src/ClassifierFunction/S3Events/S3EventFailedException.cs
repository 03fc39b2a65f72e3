namespace Mic.ClassifierFunction.S3Events;

/// <summary>Some records of an S3 event failed in a way worth retrying; the others were processed.</summary>
internal sealed class S3EventFailedException(string message) : Exception(message);
