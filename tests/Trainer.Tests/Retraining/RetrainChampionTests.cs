using Mic.Trainer.Retraining;

namespace Mic.Trainer.Tests.Retraining;

/// <summary>A challenger worse than the live model is kept out.</summary>
[Collection(RetrainCollection.Name)]
public sealed class RetrainChampionTests(RgwFixture rgw) : RetrainTestsBase(rgw), IClassFixture<RgwFixture>
{
    [Fact]
    public async Task Retrain_ChallengerWorseThanTheLiveModel_NotPublishedAndLatestUntouched()
    {
        var bucket = await Rgw.CreateBucketAsync();
        await RetrainRun.PutColoursAsync(Rgw, bucket, "colours", 8, Colours);
        using var champion = await RetrainRun.RunAsync(Rgw, bucket, "colours", "job-champion", 1,
            "--freeze-epochs", "1", "--epochs", "2", "--lr", "1e-2", "--max-accuracy-drop", "100");
        Assert.True(champion.ExitCode == 0, champion.Output);
        var before = await LatestBytesAsync(bucket);
        var versions = await KeysAsync(bucket, "models/");

        // Forced onto the same data with a learning rate too small to move the fresh head off its random start.
        using var challenger = await RetrainRun.RunAsync(Rgw, bucket, "colours", "job-challenger", 1,
            "--force", "true", "--freeze-epochs", "1", "--epochs", "0", "--lr", "1e-9", "--max-accuracy-drop", "100");

        Assert.True(challenger.ExitCode == RetrainExitCodes.ChampionKept, challenger.Output);
        var summary = challenger.Summary;
        Assert.Equal("champion-kept", summary.GetProperty("outcome").GetString());
        Assert.False(summary.GetProperty("published").GetBoolean());
        Assert.Equal(champion.Summary.GetProperty("version").GetString(), summary.GetProperty("championVersion").GetString());
        Assert.True(summary.GetProperty("championAccuracy").GetDouble() > summary.GetProperty("accuracy").GetDouble(), challenger.Output);
        Assert.Contains("the live model stays", summary.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await LatestBytesAsync(bucket));
        Assert.Equal(versions, await KeysAsync(bucket, "models/"));
    }
}
