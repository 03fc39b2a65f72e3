using Amazon.S3;
using Amazon.S3.Model;
using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Trainer.Cli;
using Mic.Trainer.Retraining;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Trainer.Tests.Retraining;

/// <summary>
/// <c>mic-train retrain</c>, the trainer image's entry point, on CPU against a real Ceph RGW with tiny data: publish,
/// skip the same data, keep a better live model, resume a stopped job's next attempt from its S3 checkpoint, refuse a
/// broken dataset. Each test owns its bucket.
/// </summary>
public sealed class RetrainCommandTests(RgwFixture rgw) : IClassFixture<RgwFixture>
{
    private static readonly (string, Rgb24)[] Colours =
    [
        ("blue", new Rgb24(30, 60, 220)), ("green", new Rgb24(40, 200, 60)), ("red", new Rgb24(220, 40, 40)), ("yellow", new Rgb24(230, 220, 40)),
    ];

    [Fact]
    public async Task Retrain_NewDatasetThenTheSameAgain_PublishesThenSkips()
    {
        var bucket = await rgw.CreateBucketAsync();
        await RetrainRun.PutColoursAsync(rgw, bucket, "colours", 8, Colours);

        using var first = await RetrainRun.RunAsync(rgw, bucket, "colours", "job-a", 1, "--freeze-epochs", "1", "--epochs", "1", "--max-accuracy-drop", "100");

        Assert.True(first.ExitCode == 0, first.Output);
        var summary = first.Summary;
        Assert.Equal("published", summary.GetProperty("outcome").GetString());
        Assert.True(summary.GetProperty("published").GetBoolean());
        var latest = await LatestAsync(bucket);
        Assert.NotNull(latest);
        Assert.Equal(summary.GetProperty("version").GetString(), latest.Version);
        var manifest = await ManifestAsync(bucket, latest.Version);
        Assert.Equal("int8", manifest.Model.Precision);
        Assert.Equal(summary.GetProperty("datasetHash").GetString(), manifest.Training!.DatasetHash);
        Assert.Equal($"s3://{bucket}/datasets/colours/", manifest.Training.Dataset);
        Assert.Contains("epoch 1/2 (frozen)", first.Output, StringComparison.Ordinal);
        Assert.Contains("epoch 2/2 (unfrozen)", first.Output, StringComparison.Ordinal);
        Assert.Empty(await KeysAsync(bucket, "checkpoints/"));

        using var second = await RetrainRun.RunAsync(rgw, bucket, "colours", "job-b", 1, "--freeze-epochs", "1", "--epochs", "1");

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal("skipped", second.Summary.GetProperty("outcome").GetString());
        Assert.False(second.Summary.GetProperty("published").GetBoolean());
        Assert.Contains($"the live model {latest.Version} was trained on this dataset", second.Summary.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("epoch 1/", second.Output, StringComparison.Ordinal);
        Assert.Equal(latest, await LatestAsync(bucket));
    }

    [Fact]
    public async Task Retrain_ChallengerWorseThanTheLiveModel_NotPublishedAndLatestUntouched()
    {
        var bucket = await rgw.CreateBucketAsync();
        await RetrainRun.PutColoursAsync(rgw, bucket, "colours", 8, Colours);
        using var champion = await RetrainRun.RunAsync(rgw, bucket, "colours", "job-champion", 1,
            "--freeze-epochs", "1", "--epochs", "2", "--lr", "1e-2", "--max-accuracy-drop", "100");
        Assert.True(champion.ExitCode == 0, champion.Output);
        var before = await LatestBytesAsync(bucket);
        var versions = await KeysAsync(bucket, "models/");

        // Forced onto the same data with a learning rate too small to move the fresh head off its random start.
        using var challenger = await RetrainRun.RunAsync(rgw, bucket, "colours", "job-challenger", 1,
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

    [Fact]
    public async Task Retrain_StoppedAfterAnEpochThenRetried_ResumesFromTheS3CheckpointAndPublishes()
    {
        const int Epochs = 4;
        var bucket = await rgw.CreateBucketAsync();
        await RetrainRun.PutColoursAsync(rgw, bucket, "colours", 6, Colours);
        var state = "checkpoints/job-spot/state.json";
        using (var first = RetrainRun.Start(rgw, bucket, "colours", "job-spot", 1, "--freeze-epochs", "0", "--epochs", $"{Epochs}", "--max-accuracy-drop", "100"))
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

        using var second = await RetrainRun.RunAsync(rgw, bucket, "colours", "job-spot", 2, "--freeze-epochs", "0", "--epochs", $"{Epochs}", "--max-accuracy-drop", "100");

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Matches($@"attempt 2: resuming from s3://{bucket}/checkpoints/job-spot/ after epoch [1-9]", second.Output);
        Assert.DoesNotContain($"epoch 1/{Epochs} ", second.Output, StringComparison.Ordinal);
        Assert.Contains($"epoch {Epochs}/{Epochs} ", second.Output, StringComparison.Ordinal);
        Assert.Equal("published", second.Summary.GetProperty("outcome").GetString());
        Assert.Equal(Epochs, second.Summary.GetProperty("epochs").GetInt32());
        Assert.Equal(second.Summary.GetProperty("version").GetString(), (await LatestAsync(bucket))!.Version);
        Assert.Empty(await KeysAsync(bucket, "checkpoints/"));
    }

    [Theory]
    [InlineData("one class", "found 1 class(es) with readable images; at least two are needed")]
    [InlineData("unreadable images only", "found 0 class(es) with readable images; at least two are needed")]
    public async Task Retrain_BrokenDataset_ClearErrorAndNothingPublished(string kind, string message)
    {
        var bucket = await rgw.CreateBucketAsync();
        if (kind == "one class")
        {
            await RetrainRun.PutColoursAsync(rgw, bucket, "broken", 6, Colours[0]);
        }
        else
        {
            foreach (var key in new[] { "cats/a.jpg", "cats/b.jpg", "dogs/a.jpg", "dogs/b.png" })
            {
                await rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"datasets/broken/{key}", ContentBody = "not an image" });
            }
        }

        using var run = await RetrainRun.RunAsync(rgw, bucket, "broken", "job-broken", 1);

        Assert.True(run.ExitCode == CommandLine.InputError, run.Output);
        Assert.Equal("failed", run.Summary.GetProperty("outcome").GetString());
        Assert.Equal($"s3://{bucket}/datasets/broken/: {message}", run.Summary.GetProperty("reason").GetString());
        Assert.Empty(await KeysAsync(bucket, "models/"));
        Assert.Empty(await KeysAsync(bucket, "checkpoints/"));
    }

    [Fact]
    public async Task Retrain_MissingDataset_ClearErrorNamingIt()
    {
        var bucket = await rgw.CreateBucketAsync();

        using var run = await RetrainRun.RunAsync(rgw, bucket, "nothing-here", "job-missing", 1);

        Assert.True(run.ExitCode == CommandLine.InputError, run.Output);
        Assert.Equal($"s3://{bucket}/datasets/nothing-here/: found 0 class(es) with readable images; at least two are needed",
            run.Summary.GetProperty("reason").GetString());
    }

    private async Task<LatestPointer?> LatestAsync(string bucket) =>
        await ModelCatalog.ReadLatestAsync(new S3ModelStore(rgw.Client, bucket, ""), CancellationToken.None);

    private async Task<byte[]?> LatestBytesAsync(string bucket) =>
        (await new S3ModelStore(rgw.Client, bucket, "").ReadAsync(StoreLayout.LatestKey, null, CancellationToken.None))?.Content;

    private async Task<ModelManifest> ManifestAsync(string bucket, string version)
    {
        var stored = await new S3ModelStore(rgw.Client, bucket, "").ReadAsync(StoreLayout.BundleKey(version, ModelBundleWriter.ManifestFileName), null, CancellationToken.None);
        return ModelBundle.ParseManifest(stored!.Content, version);
    }

    private async Task<IReadOnlyList<string>> KeysAsync(string bucket, string prefix) =>
        await new S3ModelStore(rgw.Client, bucket, "").ListAsync(prefix, CancellationToken.None);

    private async Task<bool> ExistsAsync(string bucket, string key)
    {
        try
        {
            await rgw.Client.GetObjectMetadataAsync(bucket, key);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, RetrainRun run, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (run.HasExited)
            {
                Assert.Fail($"mic-train retrain ended before the checkpoint appeared:\n{run.Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no checkpoint in S3 within {timeout}:\n{run.Output}");
            }

            await Task.Delay(200);
        }
    }
}
