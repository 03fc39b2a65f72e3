using Amazon.S3.Model;
using Mic.Trainer.Cli;

namespace Mic.Trainer.Tests.Retraining;

/// <summary>Publish, then skip the same data; a broken or missing dataset refused.</summary>
[Collection(RetrainCollection.Name)]
public sealed class RetrainPublishTests(RgwFixture rgw) : RetrainTestsBase(rgw), IClassFixture<RgwFixture>
{
    [Fact]
    public async Task Retrain_NewDatasetThenTheSameAgain_PublishesThenSkips()
    {
        var bucket = await Rgw.CreateBucketAsync();
        await RetrainRun.PutColoursAsync(Rgw, bucket, "colours", 8, Colours);

        using var first = await RetrainRun.RunAsync(Rgw, bucket, "colours", "job-a", 1, "--freeze-epochs", "1", "--epochs", "1", "--max-accuracy-drop", "100");

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

        using var second = await RetrainRun.RunAsync(Rgw, bucket, "colours", "job-b", 1, "--freeze-epochs", "1", "--epochs", "1");

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal("skipped", second.Summary.GetProperty("outcome").GetString());
        Assert.False(second.Summary.GetProperty("published").GetBoolean());
        Assert.Contains($"the live model {latest.Version} was trained on this dataset", second.Summary.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("epoch 1/", second.Output, StringComparison.Ordinal);
        Assert.Equal(latest, await LatestAsync(bucket));
    }

    [Theory]
    [InlineData("one class", "found 1 class(es) with readable images; at least two are needed")]
    [InlineData("unreadable images only", "found 0 class(es) with readable images; at least two are needed")]
    public async Task Retrain_BrokenDataset_ClearErrorAndNothingPublished(string kind, string message)
    {
        var bucket = await Rgw.CreateBucketAsync();
        if (kind == "one class")
        {
            await RetrainRun.PutColoursAsync(Rgw, bucket, "broken", 6, Colours[0]);
        }
        else
        {
            foreach (var key in new[] { "cats/a.jpg", "cats/b.jpg", "dogs/a.jpg", "dogs/b.png" })
            {
                await Rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"datasets/broken/{key}", ContentBody = "not an image" });
            }
        }

        using var run = await RetrainRun.RunAsync(Rgw, bucket, "broken", "job-broken", 1);

        Assert.True(run.ExitCode == CommandLine.InputError, run.Output);
        Assert.Equal("failed", run.Summary.GetProperty("outcome").GetString());
        Assert.Equal($"s3://{bucket}/datasets/broken/: {message}", run.Summary.GetProperty("reason").GetString());
        Assert.Empty(await KeysAsync(bucket, "models/"));
        Assert.Empty(await KeysAsync(bucket, "checkpoints/"));
    }

    [Fact]
    public async Task Retrain_MissingDataset_ClearErrorNamingIt()
    {
        var bucket = await Rgw.CreateBucketAsync();

        using var run = await RetrainRun.RunAsync(Rgw, bucket, "nothing-here", "job-missing", 1);

        Assert.True(run.ExitCode == CommandLine.InputError, run.Output);
        Assert.Equal($"s3://{bucket}/datasets/nothing-here/: found 0 class(es) with readable images; at least two are needed",
            run.Summary.GetProperty("reason").GetString());
    }
}
