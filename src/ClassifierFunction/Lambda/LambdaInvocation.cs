namespace Mic.ClassifierFunction.Lambda;

/// <summary>
/// One event handed out by the Runtime API's <c>invocation/next</c>. <see cref="Deadline"/> is when Lambda stops the
/// invocation, or <see langword="null"/> when the peer sent no usable deadline; <see cref="Payload"/> is the event JSON
/// (UTF-8).
/// </summary>
internal sealed record LambdaInvocation(
    string RequestId,
    DateTimeOffset? Deadline,
    string? TraceId,
    string? FunctionArn,
    ReadOnlyMemory<byte> Payload);
