using System.Text.Json;

namespace Mic.ClassifierFunction.Lambda;

/// <summary>An event none of the function's handlers knows; the message names its shape, never its values.</summary>
internal sealed class UnrecognizedEventException(string message) : Exception(message)
{
    public static UnrecognizedEventException For(JsonElement payload)
    {
        var shape = payload.ValueKind == JsonValueKind.Object
            ? $"a JSON object with properties [{string.Join(", ", payload.EnumerateObject().Select(p => p.Name).Take(12))}]"
            : $"a JSON {payload.ValueKind.ToString().ToLowerInvariant()}";
        return new UnrecognizedEventException(
            $"unrecognised event: {shape}; expected an API Gateway HTTP API (payload 2.0) or REST API proxy (1.0) request, " +
            "or an S3 event notification");
    }
}
