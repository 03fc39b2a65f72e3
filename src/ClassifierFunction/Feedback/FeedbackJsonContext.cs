using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mic.ClassifierFunction.Feedback;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FeedbackReceipt))]
[JsonSerializable(typeof(FeedbackSidecar))]
internal sealed partial class FeedbackJsonContext : JsonSerializerContext;
