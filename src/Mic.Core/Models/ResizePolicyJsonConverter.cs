using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mic.Core.Models;

/// <summary>Writes <see cref="ResizePolicy"/> as the kebab-case names manifests use (docs/architecture.md, "Model contract").</summary>
public sealed class ResizePolicyJsonConverter : JsonConverter<ResizePolicy>
{
    public const string ShorterSideThenCenterCrop = "shorter-side-then-center-crop";
    public const string Stretch = "stretch";

    public override ResizePolicy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() switch
        {
            ShorterSideThenCenterCrop => ResizePolicy.ShorterSideThenCenterCrop,
            Stretch => ResizePolicy.Stretch,
            var other => throw new JsonException(
                $"unknown input.resize '{other}' (expected '{ShorterSideThenCenterCrop}' or '{Stretch}')"),
        };

    public override void Write(Utf8JsonWriter writer, ResizePolicy value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ToName(value));

    public static string ToName(ResizePolicy value) => value switch
    {
        ResizePolicy.ShorterSideThenCenterCrop => ShorterSideThenCenterCrop,
        ResizePolicy.Stretch => Stretch,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };
}
