namespace Mic.ClassifierFunction.S3Events;

/// <summary>One message of a queue batch to deliver again.</summary>
internal sealed record SqsBatchItemFailure(string ItemIdentifier);
