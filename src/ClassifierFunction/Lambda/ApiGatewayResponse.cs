using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Mic.ClassifierFunction.Lambda;

/// <summary>
/// Writes an ASP.NET Core response as the proxy response API Gateway expects for the request's format. Bodies are
/// sent as text only when the content type is textual; anything else (images, octet streams, unknown types) is
/// base64 with <c>isBase64Encoded</c>, so no byte is ever lost to a UTF-8 round trip.
/// </summary>
internal static class ApiGatewayResponse
{
    public static byte[] Write(ApiGatewayFormat format, int statusCode, IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        using var buffer = new MemoryStream(body.Length + 512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("statusCode", statusCode);
            if (format == ApiGatewayFormat.HttpApiV2)
            {
                WriteHttpApiHeaders(json, headers);
            }
            else
            {
                json.WriteStartObject("multiValueHeaders");
                foreach (var (name, values) in headers)
                {
                    json.WriteStartArray(name);
                    foreach (var value in values)
                    {
                        json.WriteStringValue(value);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            var text = body.IsEmpty || IsText(headers.ContentType);
            json.WriteString("body", text ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body));
            json.WriteBoolean("isBase64Encoded", !text);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// An RFC 7807 problem response, for what the Lambda server answers itself without running the application: a
    /// request it cannot read, a response it cannot deliver.
    /// </summary>
    public static byte[] Problem(ApiGatewayFormat format, int statusCode, string title, string detail)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteNumber("status", statusCode);
            json.WriteString("detail", detail);
            json.WriteEndObject();
        }

        IHeaderDictionary headers = new HeaderDictionary();
        headers.ContentType = "application/problem+json";
        return Write(format, statusCode, headers, buffer.ToArray());
    }

    /// <summary>True for content types that survive being sent as a UTF-8 string.</summary>
    public static bool IsText(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        if (media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !media.Charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var type = media.MediaType.Value!;
        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("xml", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
    }

    // HTTP API 2.0: one comma-joined value per header; Set-Cookie values go to `cookies`, since joining them with
    // commas would break cookies whose attributes contain commas (Expires).
    private static void WriteHttpApiHeaders(Utf8JsonWriter json, IHeaderDictionary headers)
    {
        json.WriteStartObject("headers");
        foreach (var (name, values) in headers)
        {
            if (!name.Equals(HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                json.WriteString(name, values.ToString());
            }
        }

        json.WriteEndObject();
        json.WriteStartArray("cookies");
        foreach (var cookie in headers.SetCookie)
        {
            json.WriteStringValue(cookie);
        }

        json.WriteEndArray();
    }
}
