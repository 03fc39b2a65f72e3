using System.Text.Json.Serialization;

namespace Mic.Aws.Internal;

/// <summary>An error answer: REST-JSON services send <c>message</c> (code in a header), JSON-1.1 services <c>__type</c> too.</summary>
internal sealed record AwsErrorBody
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("Message")]
    public string? UpperMessage { get; init; }
}
