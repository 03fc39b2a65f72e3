namespace Mic.ClassifierFunction.Lambda;

/// <summary>The API Gateway proxy payload a request came in, which is also the shape its response must take.</summary>
internal enum ApiGatewayFormat
{
    /// <summary>HTTP API, payload format 2.0: <c>rawPath</c>, <c>rawQueryString</c>, <c>cookies</c>.</summary>
    HttpApiV2,

    /// <summary>REST API proxy integration (and HTTP API payload 1.0): <c>path</c>, <c>multiValueHeaders</c>.</summary>
    RestV1,
}
