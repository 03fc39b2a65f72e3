using Mic.Aws.Logs;

namespace Mic.Aws.Tests.Logs;

/// <summary>MIC's CloudWatch Logs reader against moto_server; botocore writes the events.</summary>
public sealed class CloudWatchLogsClientTests(MotoFixture fixture) : IClassFixture<MotoFixture>
{
    private readonly MotoServer _moto = fixture.Server;

    [Fact]
    public async Task GetLogEvents_SmallPages_EveryLineOnceInOrderThenCaughtUp()
    {
        var group = "/mic/" + Moto.Name("training");
        var first = await BotocorePeer.PutLogsAsync(_moto, group, "mic/default/job-1", 25);
        using var logs = new CloudWatchLogsClient(Moto.Options(_moto));

        var read = new List<LogEvent>();
        string? token = null;
        for (var page = 0; page < 10; page++)
        {
            var events = await logs.GetLogEventsAsync(group, "mic/default/job-1", token, limit: 10, CancellationToken.None);
            read.AddRange(events.Events);
            if (events.Events.Count == 0)
            {
                Assert.Equal(token, events.NextToken);
                break;
            }

            token = events.NextToken;
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"line {i}"), read.Select(e => e.Message));
        Assert.Equal(first, read[0].Timestamp);
        Assert.Equal(first.AddSeconds(24), read[^1].Timestamp);
    }

    [Fact]
    public async Task GetLogEvents_StreamNotThereYet_ResourceNotFound()
    {
        var group = "/mic/" + Moto.Name("training");
        await BotocorePeer.PutLogsAsync(_moto, group, "mic/default/other", 1);
        using var logs = new CloudWatchLogsClient(Moto.Options(_moto));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            logs.GetLogEventsAsync(group, "mic/default/not-started", null, 100, CancellationToken.None));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
        Assert.StartsWith("CloudWatch Logs GetLogEvents: ResourceNotFoundException: ", error.Message);
    }
}
