using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mic.ClassifierFunction.Lambda;

namespace Mic.ClassifierFunction.Tests.Lambda;

public sealed class ApiGatewayRequestTests
{
    [Fact]
    public void TryRead_HttpApiBase64Jpeg_BodyIsTheExactBytes()
    {
        var jpeg = TestAssets.Bytes(TestAssets.Skimage("motorcycle_left.png"));

        var request = Read(LambdaEvents.HttpApiV2("POST", "/classify", jpeg, "image/png"));

        Assert.Equal(ApiGatewayFormat.HttpApiV2, request.Format);
        Assert.Equal("POST", request.Method);
        Assert.Equal(jpeg, request.Body);
        Assert.Equal(jpeg.Length, request.Headers.ContentLength);
        Assert.Equal("image/png", request.Headers.ContentType.ToString());
        Assert.Equal(IPAddress.Parse("203.0.113.7"), request.SourceIp);
    }

    [Fact]
    public void TryRead_HttpApiEveryByteValue_SurvivesBase64()
    {
        var bytes = Enumerable.Range(0, 1024).Select(i => (byte)(i * 7 % 256)).ToArray();

        var request = Read(LambdaEvents.HttpApiV2("POST", "/classify", bytes, "application/octet-stream"));

        Assert.Equal(bytes, request.Body);
    }

    [Fact]
    public void TryRead_HttpApiTextBody_IsUtf8()
    {
        var request = Read(LambdaEvents.HttpApiV2("POST", "/x", "héllo ✓"u8.ToArray(), "text/plain", base64: false));

        Assert.Equal("héllo ✓", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public void TryRead_HttpApiNamedStage_BecomesPathBase()
    {
        var request = Read(LambdaEvents.HttpApiV2("GET", "/prod/model", stage: "prod", rawQueryString: "top=3&q=a%20b"));

        Assert.Equal("/prod", request.PathBase);
        Assert.Equal("/model", request.Path);
        Assert.Equal("?top=3&q=a%20b", request.QueryString);
    }

    [Theory]
    [InlineData("$default", "/classify", "", "/classify")]
    [InlineData("prod", "/prod", "/prod", "/")]
    [InlineData("prod", "/production/x", "", "/production/x")]
    [InlineData("$default", "/a%20b/%C3%BC%2Fc", "", "/a b/ü%2Fc")]
    public void TryRead_HttpApiRawPath_SplitsStageAndDecodesButKeepsEncodedSlash(string stage, string rawPath, string pathBase, string path)
    {
        var request = Read(LambdaEvents.HttpApiV2("GET", rawPath, stage: stage));

        Assert.Equal(pathBase, request.PathBase);
        Assert.Equal(path, request.Path);
    }

    [Fact]
    public void TryRead_HttpApiCookies_BecomeOneCookieHeader()
    {
        var request = Read(LambdaEvents.HttpApiV2("GET", "/", cookies: new JsonArray("a=1", "b=two"),
            headers: new JsonObject { ["accept"] = "image/webp,image/*" }));

        Assert.Equal("a=1; b=two", request.Headers.Cookie.ToString());
        Assert.Equal("image/webp,image/*", request.Headers.Accept.ToString());
    }

    [Fact]
    public void TryRead_RestProxy_ReadsStageMultiValueQueryAndHeaders()
    {
        var request = Read(LambdaEvents.RestV1("POST", "/classify", [1, 2, 3], "image/jpeg",
            multiValueQuery: new JsonObject { ["q"] = new JsonArray("a b", "c&d"), ["top"] = new JsonArray("2") },
            multiValueHeaders: new JsonObject { ["X-Forwarded-For"] = new JsonArray("198.51.100.23", "10.0.0.1") }));

        Assert.Equal(ApiGatewayFormat.RestV1, request.Format);
        Assert.Equal("/prod", request.PathBase);
        Assert.Equal("/classify", request.Path);
        Assert.Equal("?q=a%20b&q=c%26d&top=2", request.QueryString);
        Assert.Equal(2, request.Headers["X-Forwarded-For"].Count);
        Assert.Equal("198.51.100.23,10.0.0.1", request.Headers["X-Forwarded-For"].ToString());
        Assert.Equal(new byte[] { 1, 2, 3 }, request.Body);
        Assert.Equal(IPAddress.Parse("198.51.100.23"), request.SourceIp);
    }

    [Fact]
    public void TryRead_RestSingleValueFallbacks_AreUsedWithoutMultiValueFields()
    {
        var lambdaEvent = LambdaEvents.RestV1("GET", "/model");
        lambdaEvent["multiValueHeaders"] = null;
        lambdaEvent["headers"] = new JsonObject { ["Accept"] = "application/json" };
        lambdaEvent["queryStringParameters"] = new JsonObject { ["top"] = "1" };

        var request = Read(lambdaEvent);

        Assert.Equal("application/json", request.Headers.Accept.ToString());
        Assert.Equal("?top=1", request.QueryString);
        Assert.Empty(request.Body);
    }

    [Theory]
    [InlineData("""{"Records":[{"eventSource":"aws:s3"}]}""")]
    [InlineData("""{"detail-type":"Scheduled Event"}""")]
    [InlineData("""{"version":"2.0","requestContext":{}}""")]
    [InlineData("[1,2]")]
    public void TryRead_OtherEvents_AreNotRequests(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.False(ApiGatewayRequest.TryRead(document.RootElement, out _));
    }

    private static ApiGatewayRequest Read(JsonNode lambdaEvent)
    {
        using var document = JsonDocument.Parse(lambdaEvent.ToJsonString());
        Assert.True(ApiGatewayRequest.TryRead(document.RootElement, out var request));
        return request;
    }
}
