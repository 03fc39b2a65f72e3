using System.Text.Json;
using System.Text.Json.Serialization;
using Mic.Core.Inference;
using Microsoft.AspNetCore.Mvc;

namespace Mic.ClassifierFunction.Api;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(Mic.Core.Models.ResizePolicyJsonConverter)])]
[JsonSerializable(typeof(ClassificationResult))]
[JsonSerializable(typeof(ModelSummary))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
