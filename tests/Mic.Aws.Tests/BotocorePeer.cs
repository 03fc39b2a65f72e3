using System.Text.Json;

namespace Mic.Aws.Tests;

/// <summary>botocore (tests/Mic.Aws.Tests/botocore_peer.py) as the independent peer: it seeds moto, reads it back, and signs.</summary>
internal static class BotocorePeer
{
    private static readonly string Script = Path.Combine(TestAssets.RepositoryRoot, "tests", "Mic.Aws.Tests", "botocore_peer.py");

    /// <summary>A compute environment, <paramref name="queue"/> and job definition <paramref name="definition"/> in moto.</summary>
    public static async Task<(string QueueArn, string DefinitionArn)> SeedBatchAsync(MotoServer moto, string queue, string definition)
    {
        using var result = await RunAsync("seed-batch", moto.Endpoint.ToString(), queue, definition);
        return (result.RootElement.GetProperty("queue_arn").GetString()!, result.RootElement.GetProperty("definition_arn").GetString()!);
    }

    /// <summary>The job as botocore's DescribeJobs reads it.</summary>
    public static async Task<JsonElement> DescribeJobAsync(MotoServer moto, string jobId)
    {
        using var result = await RunAsync("describe-job", moto.Endpoint.ToString(), jobId);
        return result.RootElement.Clone();
    }

    /// <summary>A new stream with <paramref name="count"/> events <c>line 0</c>, <c>line 1</c>…, one second apart.</summary>
    public static async Task<DateTimeOffset> PutLogsAsync(MotoServer moto, string group, string stream, int count)
    {
        using var result = await RunAsync("put-logs", moto.Endpoint.ToString(), group, stream, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return DateTimeOffset.FromUnixTimeMilliseconds(result.RootElement.GetProperty("first_timestamp").GetInt64());
    }

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
        using var result = await RunAsync("sign", json);
        return result.RootElement.GetProperty("authorization").GetString()!;
    }

    private static async Task<JsonDocument> RunAsync(params string[] arguments) =>
        JsonDocument.Parse(await AwsTools.RunPythonAsync(Script, arguments, TimeSpan.FromMinutes(1)));
}
