using System.Text.Json.Serialization;

namespace Mic.Aws.Logs.Internal;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetLogEventsRequest))]
[JsonSerializable(typeof(GetLogEventsResponse))]
internal sealed partial class LogsJsonContext : JsonSerializerContext;
