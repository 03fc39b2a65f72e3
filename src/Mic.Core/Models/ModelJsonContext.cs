using System.Text.Json.Serialization;

namespace Mic.Core.Models;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(LatestPointer))]
public sealed partial class ModelJsonContext : JsonSerializerContext;
