using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mic.ClassifierFunction.S3Events;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(S3ClassificationRecord))]
[JsonSerializable(typeof(S3EventSummary))]
[JsonSerializable(typeof(SqsBatchResponse))]
internal sealed partial class S3EventJsonContext : JsonSerializerContext;
