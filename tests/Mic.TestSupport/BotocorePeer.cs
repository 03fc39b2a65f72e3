using System.Text.Json;

namespace Mic.TestSupport;

/// <summary>botocore (tests/Mic.TestSupport/botocore_peer.py) as the independent peer of MIC's AWS clients: it seeds moto, reads it back, and signs.</summary>
public static class BotocorePeer
{
    private static readonly string Script = Path.Combine(TestAssets.RepositoryRoot, "tests", "Mic.TestSupport", "botocore_peer.py");

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

    /// <summary>A new stream in <paramref name="group"/> (made if missing) holding <paramref name="lines"/> as events, one second apart.</summary>
    public static async Task PutLinesAsync(MotoServer moto, string group, string stream, params string[] lines)
    {
        using var result = await RunAsync(["put-lines", moto.Endpoint.ToString(), group, stream, .. lines]);
    }

    /// <summary>Runs one of the script's commands and parses what it prints.</summary>
    public static async Task<JsonDocument> RunAsync(params string[] arguments) =>
        JsonDocument.Parse(await AwsTools.RunPythonAsync(Script, arguments, TimeSpan.FromMinutes(1)));
}
