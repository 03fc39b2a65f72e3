using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mic.ClassifierFunction.Uploads;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UploadRequest))]
[JsonSerializable(typeof(UploadTicket))]
[JsonSerializable(typeof(UploadSettings))]
internal sealed partial class UploadsJsonContext : JsonSerializerContext;
