namespace Mic.ClassifierFunction.S3Events;

/// <summary>
/// The answer to a queue batch with <c>ReportBatchItemFailures</c>: the messages to deliver again (their
/// <c>messageId</c>s); every other message of the batch is deleted from the queue.
/// </summary>
internal sealed record SqsBatchResponse(IReadOnlyList<SqsBatchItemFailure> BatchItemFailures);
