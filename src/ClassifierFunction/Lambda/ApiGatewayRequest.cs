using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Mic.ClassifierFunction.Lambda;

/// <summary>
/// An API Gateway proxy event read into what an ASP.NET Core request needs. The body is exactly the client's bytes:
/// <c>isBase64Encoded</c> bodies are decoded, never re-read as text (the loss of binary uploads in
/// aws-lambda-dotnet issues 820 and 1366).
/// </summary>
internal sealed class ApiGatewayRequest
{
    private ApiGatewayRequest(ApiGatewayFormat format, string method, string pathBase, string path, string queryString,
        IHeaderDictionary headers, (byte[] Bytes, string? Error) body, IPAddress? sourceIp)
    {
        Format = format;
        Method = method;
        PathBase = pathBase;
        Path = path;
        QueryString = queryString;
        Headers = headers;
        Body = body.Bytes;
        BodyError = body.Error;
        SourceIp = sourceIp;
    }

    public ApiGatewayFormat Format { get; }

    public string Method { get; }

    /// <summary>The stage (<c>/prod</c>) when the URL carried it, else empty.</summary>
    public string PathBase { get; }

    /// <summary>The path below <see cref="PathBase"/>, percent-decoded except <c>%2F</c> (as Kestrel does).</summary>
    public string Path { get; }

    /// <summary>The encoded query with its leading <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    public IHeaderDictionary Headers { get; }

    public byte[] Body { get; }

    /// <summary>Why the body could not be read (a base64 body that is not base64), or null. The request is then a 400.</summary>
    public string? BodyError { get; }

    public IPAddress? SourceIp { get; }

    /// <summary>Reads an HTTP API 2.0 or REST 1.0 proxy event; false for any other event shape.</summary>
    public static bool TryRead(JsonElement payload, out ApiGatewayRequest request)
    {
        request = null!;
        if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("requestContext", out var context)
            || context.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (String(payload, "version") == "2.0" && context.TryGetProperty("http", out var http) && http.ValueKind == JsonValueKind.Object)
        {
            request = ReadHttpApi(payload, context, http);
            return true;
        }

        if (String(payload, "httpMethod") is not null)
        {
            request = ReadRest(payload, context);
            return true;
        }

        return false;
    }

    private static ApiGatewayRequest ReadHttpApi(JsonElement payload, JsonElement context, JsonElement http)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var (name, value) in Properties(payload, "headers"))
        {
            headers.Append(name, value.GetString());
        }

        if (payload.TryGetProperty("cookies", out var cookies) && cookies.ValueKind == JsonValueKind.Array)
        {
            headers.Cookie = string.Join("; ", cookies.EnumerateArray().Select(c => c.GetString()));
        }

        var (pathBase, path) = SplitStage(DecodePath(String(payload, "rawPath") ?? String(http, "path") ?? "/"), String(context, "stage"));
        var rawQuery = String(payload, "rawQueryString");
        return new ApiGatewayRequest(ApiGatewayFormat.HttpApiV2, String(http, "method") ?? "GET", pathBase, path,
            string.IsNullOrEmpty(rawQuery) ? "" : "?" + rawQuery, headers, ReadBody(payload, headers), Ip(String(http, "sourceIp")));
    }

    private static ApiGatewayRequest ReadRest(JsonElement payload, JsonElement context)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        var multiValueHeaders = Properties(payload, "multiValueHeaders").ToList();
        if (multiValueHeaders.Count > 0)
        {
            foreach (var (name, values) in multiValueHeaders)
            {
                headers.Append(name, new StringValues(Strings(values)));
            }
        }
        else
        {
            foreach (var (name, value) in Properties(payload, "headers"))
            {
                headers.Append(name, value.GetString());
            }
        }

        var query = Properties(payload, "multiValueQueryStringParameters")
            .Select(p => new KeyValuePair<string, StringValues>(p.Name, new StringValues(Strings(p.Value))))
            .ToList();
        if (query.Count == 0)
        {
            query = [.. Properties(payload, "queryStringParameters").Select(p => new KeyValuePair<string, StringValues>(p.Name, p.Value.GetString()))];
        }

        // REST's `path` is the resource path without the stage; requestContext.path is what the client asked for,
        // stage included (/prod/classify): the difference is the path base.
        var path = String(payload, "path") ?? "/";
        var requested = String(context, "path");
        var pathBase = requested is not null && requested.Length > path.Length && requested.EndsWith(path, StringComparison.Ordinal)
            ? requested[..^path.Length]
            : "";
        if (path.Length > 1 && pathBase.EndsWith('/'))
        {
            pathBase = pathBase[..^1];
        }

        return new ApiGatewayRequest(ApiGatewayFormat.RestV1, String(payload, "httpMethod")!, pathBase, path,
            query.Count == 0 ? "" : Microsoft.AspNetCore.Http.QueryString.Create(query).Value!, headers, ReadBody(payload, headers),
            context.TryGetProperty("identity", out var identity) && identity.ValueKind == JsonValueKind.Object
                ? Ip(String(identity, "sourceIp"))
                : null);
    }

    private static (byte[] Bytes, string? Error) ReadBody(JsonElement payload, IHeaderDictionary headers)
    {
        var text = String(payload, "body");
        byte[] body;
        string? error = null;
        try
        {
            body = text is null ? []
                : payload.TryGetProperty("isBase64Encoded", out var base64) && base64.ValueKind == JsonValueKind.True
                    ? Convert.FromBase64String(text)
                    : Encoding.UTF8.GetBytes(text);
        }
        catch (FormatException)
        {
            (body, error) = ([], "the event's body is marked isBase64Encoded but is not valid base64");
        }

        // The client's Content-Length described what it sent; the decoded body is what the application reads.
        headers.ContentLength = body.Length;
        return (body, error);
    }

    private static (string PathBase, string Path) SplitStage(string path, string? stage)
    {
        if (string.IsNullOrEmpty(stage) || stage == "$default")
        {
            return ("", path);
        }

        var prefix = "/" + stage;
        if (path == prefix)
        {
            return (prefix, "/");
        }

        return path.StartsWith(prefix + "/", StringComparison.Ordinal) ? (prefix, path[prefix.Length..]) : ("", path);
    }

    /// <summary>Percent-decodes a raw path but keeps <c>%2F</c>, so an encoded slash never becomes a path separator.</summary>
    private static string DecodePath(string raw) =>
        raw.Contains('%', StringComparison.Ordinal)
            ? string.Join("%2F", raw.Split("%2F", StringSplitOptions.None).SelectMany(p => p.Split("%2f")).Select(Uri.UnescapeDataString))
            : raw;

    private static IPAddress? Ip(string? text) => IPAddress.TryParse(text, out var ip) ? ip : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<(string Name, JsonElement Value)> Properties(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Select(p => (p.Name, p.Value))
            : [];

    private static string?[] Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Select(v => v.GetString())] : [array.GetString()];
}
