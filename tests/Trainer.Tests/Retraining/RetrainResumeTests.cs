using Mic.Trainer.Cli;

namespace Mic.Trainer.Tests.Retraining;

/// <summary>A job stopped after an epoch resumes from its S3 checkpoint on its next attempt.</summary>
[Collection(RetrainCollection.Name)]
public sealed class RetrainResumeTests(RgwFixture rgw) : RetrainTestsBase(rgw), IClassFixture<RgwFixture>
{
    [Fact]
    public async Task Retrain_StoppedAfterAnEpochThenRetried_ResumesFromTheS3CheckpointAndPublishes()
    {
        const int Epochs = 3;
        var bucket = await Rgw.CreateBucketAsync();
        await RetrainRun.PutColoursAsync(Rgw, bucket, "colours", 6, Colours);
        var state = "checkpoints/job-spot/state.json";
        using (var first = RetrainRun.Start(Rgw, bucket, "colours", "job-spot", 1, "--freeze-epochs", "0", "--epochs", $"{Epochs}", "--max-accuracy-drop", "100"))
        {
            await WaitForAsync(() => ExistsAsync(bucket, state), first, TimeSpan.FromMinutes(3));
            Assert.Equal(0, MallocTuning.Kill(first.Id, 15)); // what Batch sends before it stops a job's container

            var exitCode = await first.WaitForExitAsync(TimeSpan.FromMinutes(2));

            Assert.True(exitCode == 130, first.Output);
            Assert.Equal("stopped", first.Summary.GetProperty("outcome").GetString());
            Assert.Contains("the next attempt of job job-spot resumes from", first.Summary.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        Assert.Null(await LatestAsync(bucket));
        Assert.True(await ExistsAsync(bucket, state));

        using var second = await RetrainRun.RunAsync(Rgw, bucket, "colours", "job-spot", 2, "--freeze-epochs", "0", "--epochs", $"{Epochs}", "--max-accuracy-drop", "100");

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Matches($@"attempt 2: resuming from s3://{bucket}/checkpoints/job-spot/ after epoch [1-9]", second.Output);
        Assert.DoesNotContain($"epoch 1/{Epochs} ", second.Output, StringComparison.Ordinal);
        Assert.Contains($"epoch {Epochs}/{Epochs} ", second.Output, StringComparison.Ordinal);
        Assert.Equal("published", second.Summary.GetProperty("outcome").GetString());
        Assert.Equal(Epochs, second.Summary.GetProperty("epochs").GetInt32());
        Assert.Equal(second.Summary.GetProperty("version").GetString(), (await LatestAsync(bucket))!.Version);
        Assert.Empty(await KeysAsync(bucket, "checkpoints/"));
    }
}
