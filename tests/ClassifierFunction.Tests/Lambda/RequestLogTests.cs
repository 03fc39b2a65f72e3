using System.Text.Json;
using Mic.ClassifierFunction.Telemetry;
using Mic.Core.Inference;

namespace Mic.ClassifierFunction.Tests.Lambda;

public sealed class RequestLogTests
{
    [Fact]
    public void Write_Entry_IsOneValidEmbeddedMetricFormatLine()
    {
        using var output = new StringWriter();
        var log = new RequestLog(output, TimeProvider.System);

        log.Write(new RequestLogEntry("POST /classify", RequestOutcomes.Corrupt, 12.3456)
        {
            RequestId = "req-1",
            Target = "/classify",
            Status = 400,
            ModelVersion = "v7",
            Timings = new StageTimings(1, 2, 3, 6),
        });

        var text = output.ToString();
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var line = JsonDocument.Parse(text);
        var root = line.RootElement;
        var metadata = root.GetProperty("_aws");
        Assert.InRange(metadata.GetProperty("Timestamp").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var directive = Assert.Single(metadata.GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("MIC", directive.GetProperty("Namespace").GetString());
        // EMF: every dimension and metric named in the directive must be a top-level member of the line.
        foreach (var name in directive.GetProperty("Dimensions").EnumerateArray().SelectMany(d => d.EnumerateArray())
                     .Concat(directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name"))))
        {
            Assert.True(root.TryGetProperty(name.GetString()!, out _), $"{name} is not in the line");
        }

        Assert.Equal("corrupt", root.GetProperty("Outcome").GetString());
        Assert.Equal(1, root.GetProperty("Errors").GetInt32());
        Assert.Equal(12.346, root.GetProperty("Latency").GetDouble());
        Assert.Equal("v7", root.GetProperty("modelVersion").GetString());
        Assert.Equal(3, root.GetProperty("inferenceMs").GetDouble());
        Assert.False(root.TryGetProperty("error", out _));
    }

    [Theory]
    [InlineData(200, "ok")]
    [InlineData(400, "bad_request")]
    [InlineData(413, "too_large")]
    [InlineData(415, "unsupported_format")]
    [InlineData(503, "no_model")]
    [InlineData(500, "server_error")]
    [InlineData(429, "client_error")]
    public void FromStatus_Status_NamesTheErrorKind(int status, string outcome) =>
        Assert.Equal(outcome, RequestOutcomes.FromStatus(status));
}
