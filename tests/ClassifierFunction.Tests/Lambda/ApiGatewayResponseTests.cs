using System.Text.Json;
using Mic.ClassifierFunction.Lambda;
using Microsoft.AspNetCore.Http;

namespace Mic.ClassifierFunction.Tests.Lambda;

public sealed class ApiGatewayResponseTests
{
    [Theory]
    [InlineData(nameof(ApiGatewayFormat.HttpApiV2))]
    [InlineData(nameof(ApiGatewayFormat.RestV1))]
    public void Write_JpegBody_IsBase64AndByteIdentical(string formatName)
    {
        var format = Enum.Parse<ApiGatewayFormat>(formatName);
        var jpeg = TestAssets.Bytes(TestAssets.MateBackground("nature/Garden.jpg"));

        using var response = Write(format, 200, jpeg, "image/jpeg");

        Assert.True(response.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(jpeg, Convert.FromBase64String(response.RootElement.GetProperty("body").GetString()!));
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", false)]
    [InlineData("application/problem+json", false)]
    [InlineData("text/html", false)]
    [InlineData("image/svg+xml", false)]
    [InlineData("text/plain; charset=iso-8859-1", true)]
    [InlineData("application/octet-stream", true)]
    [InlineData(null, true)]
    public void Write_ContentType_DecidesBase64(string? contentType, bool base64)
    {
        var body = "{\"a\":\"ü\"}"u8.ToArray();

        using var response = Write(ApiGatewayFormat.HttpApiV2, 200, body, contentType);

        Assert.Equal(base64, response.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        var text = response.RootElement.GetProperty("body").GetString()!;
        Assert.Equal(body, base64 ? Convert.FromBase64String(text) : System.Text.Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void Write_HttpApiSetCookies_GoToCookiesNotHeaders()
    {
        var headers = new HeaderDictionary { ["Cache-Control"] = new(["no-cache", "no-store"]) };
        headers.Append("Set-Cookie", "a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT");
        headers.Append("Set-Cookie", "b=2");

        using var response = JsonDocument.Parse(ApiGatewayResponse.Write(ApiGatewayFormat.HttpApiV2, 201, headers, []));

        var root = response.RootElement;
        Assert.Equal(201, root.GetProperty("statusCode").GetInt32());
        Assert.Equal(["a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2"], root.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.False(root.GetProperty("headers").TryGetProperty("Set-Cookie", out _));
        Assert.Equal("no-cache,no-store", root.GetProperty("headers").GetProperty("Cache-Control").GetString());
        Assert.Equal("", root.GetProperty("body").GetString());
    }

    [Fact]
    public void Write_RestMultipleValues_StayAList()
    {
        var headers = new HeaderDictionary();
        headers.Append("Set-Cookie", "a=1");
        headers.Append("Set-Cookie", "b=2");

        using var response = JsonDocument.Parse(ApiGatewayResponse.Write(ApiGatewayFormat.RestV1, 200, headers, []));

        Assert.Equal(["a=1", "b=2"], response.RootElement.GetProperty("multiValueHeaders").GetProperty("Set-Cookie")
            .EnumerateArray().Select(c => c.GetString()));
    }

    private static JsonDocument Write(ApiGatewayFormat format, int status, byte[] body, string? contentType)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (contentType is not null)
        {
            headers.ContentType = contentType;
        }

        return JsonDocument.Parse(ApiGatewayResponse.Write(format, status, headers, body));
    }
}
