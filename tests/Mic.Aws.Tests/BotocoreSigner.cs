using System.Text.Json;

namespace Mic.Aws.Tests;

/// <summary>botocore's SigV4 signer (<see cref="BotocorePeer"/>) as the reference for MIC's signatures.</summary>
internal static class BotocoreSigner
{
    /// <summary>botocore's SigV4 <c>Authorization</c> header for this request, signed at <paramref name="at"/>.</summary>
    public static async Task<string> SignAsync(RecordedRequest request, string accessKey, string secretKey, string? token, string region,
        string service, DateTimeOffset at)
    {
        // Headers the signer adds, and those neither side signs (HttpClient adds Content-Length after signing).
        string[] notInput = ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "User-Agent", "Content-Length"];
        var headers = request.Headers.Where(h => !notInput.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value);
        var json = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["method"] = request.Method,
            ["url"] = request.Uri.ToString(),
            ["headers"] = headers,
            ["body_base64"] = Convert.ToBase64String(request.Body),
            ["access_key"] = accessKey,
            ["secret_key"] = secretKey,
            ["token"] = token,
            ["region"] = region,
            ["service"] = service,
            ["time"] = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        });
        using var result = await BotocorePeer.RunAsync("sign", json);
        return result.RootElement.GetProperty("authorization").GetString()!;
    }
}
