namespace Mic.ClassifierFunction.S3Events;

/// <summary>The invocation's response to an S3 event (Lambda keeps it only for synchronous test invocations).</summary>
internal sealed record S3EventSummary(int Records, int Classified, int Rejected, int Skipped);
