using System.Text.Json;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>What the Runtime API peer answered for one invocation: the payload and, for a failure, its kind.</summary>
public sealed record FunResult(int StatusCode, string? FunctionError, string Payload)
{
    public JsonDocument Json() => JsonDocument.Parse(Payload);
}
