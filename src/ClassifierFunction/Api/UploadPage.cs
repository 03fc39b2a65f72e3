using Mic.ClassifierFunction.Configuration;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Api;

/// <summary>
/// The upload page at <c>GET /</c>: one self-contained HTML file embedded in the assembly (no build step), so it is
/// served the same way by Kestrel and through API Gateway.
/// </summary>
internal static class UploadPage
{
    private static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(UploadPage).Assembly.GetManifestResourceStream("Mic.ClassifierFunction.Page.index.html")
            ?? throw new InvalidOperationException("the embedded upload page is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IEndpointRouteBuilder MapUploadPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Get);
        return app;
    }

    internal static IResult Get(HttpResponse response, IOptions<ClassifierFunctionOptions> options)
    {
        // Inline script and style only; network access only to this API and to S3 for presigned uploads.
        var storage = options.Value.S3.ServiceUrl is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? $" {uri.GetLeftPart(UriPartial.Authority)}"
            : "";
        response.Headers.ContentSecurityPolicy =
            "default-src 'none'; img-src 'self' blob: data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; " +
            $"connect-src 'self' https://*.amazonaws.com{storage}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
        return Results.Content(Html.Value, "text/html; charset=utf-8");
    }
}
