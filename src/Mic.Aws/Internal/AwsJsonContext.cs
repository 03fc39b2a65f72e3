using System.Text.Json.Serialization;

namespace Mic.Aws.Internal;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AwsErrorBody))]
internal sealed partial class AwsJsonContext : JsonSerializerContext;
