using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Trainer.Tests.Retraining;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Trainer.Tests.Feedback;

/// <summary>
/// The feedback loop end to end on CPU against a real Ceph RGW, every step the real <c>mic-train</c> process: a dataset
/// trains v1; a user's correction lands under <c>feedback/&lt;label&gt;/</c> (image and sidecar, keyed as the function keys
/// them); the scheduled <c>retrain</c> skips it, since training data changes only by <c>accept</c>; after
/// <c>accept --all</c> the same <c>retrain</c> sees a new dataset hash, trains and publishes v2.
/// </summary>
[Collection(RetrainCollection.Name)]
public sealed class FeedbackRetrainLoopTests(RgwFixture rgw) : RetrainTestsBase(rgw), IClassFixture<RgwFixture>
{
    /// <summary>
    /// Tiny runs, and gates that cannot refuse: a two-epoch model on 32 tiny images may well score the same as or a
    /// little under the live one on a handful of held-out images, and this test is about which data trains, not about
    /// which model wins (<see cref="RetrainChampionTests"/> covers a refusal). <c>--champion-margin 100</c> publishes
    /// any challenger; <c>--max-accuracy-drop 100</c> passes any int8 model.
    /// </summary>
    private static readonly string[] Quick = ["--freeze-epochs", "1", "--epochs", "1", "--champion-margin", "100", "--max-accuracy-drop", "100"];

    [Fact]
    public async Task Retrain_CorrectionSkippedUntilAccepted_ThenNewDatasetHashTrainsAndPublishes()
    {
        var bucket = await Rgw.CreateBucketAsync();
        await RetrainRun.PutColoursAsync(Rgw, bucket, "colours", 8, Colours);
        using var first = await RetrainRun.RunAsync(Rgw, bucket, "colours", "job-v1", 1, Quick);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Equal("published", first.Summary.GetProperty("outcome").GetString());
        var v1 = first.Summary.GetProperty("version").GetString()!;
        var v1Hash = first.Summary.GetProperty("datasetHash").GetString()!;
        var liveBefore = await LatestBytesAsync(bucket);

        var correction = await SendCorrectionAsync(bucket, "red", predicted: "yellow", v1);

        using var unaccepted = await RetrainRun.RunAsync(Rgw, bucket, "colours", "job-unaccepted", 1, Quick);

        Assert.True(unaccepted.ExitCode == 0, unaccepted.Output);
        Assert.Equal("skipped", unaccepted.Summary.GetProperty("outcome").GetString());
        Assert.False(unaccepted.Summary.GetProperty("published").GetBoolean());
        Assert.Equal(v1Hash, unaccepted.Summary.GetProperty("datasetHash").GetString());
        Assert.Contains($"the live model {v1} was trained on this dataset", unaccepted.Summary.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("epoch 1/", unaccepted.Output, StringComparison.Ordinal);
        Assert.Equal(liveBefore, await LatestBytesAsync(bucket));
        Assert.Contains(correction.Key, await KeysAsync(bucket, FeedbackLayout.Prefix));

        var accept = await AcceptAllAsync(bucket, "colours");

        Assert.True(accept.ExitCode == 0, accept.ToString());
        var accepted = $"{FeedbackLayout.DatasetPrefix("colours")}red/{correction.FileName}";
        Assert.True(await ExistsAsync(bucket, accepted), accept.ToString());
        Assert.Empty(await KeysAsync(bucket, FeedbackLayout.Prefix));

        using var second = await RetrainRun.RunAsync(Rgw, bucket, "colours", "job-v2", 1, Quick);

        Assert.True(second.ExitCode == 0, second.Output);
        var summary = second.Summary;
        Assert.Equal("published", summary.GetProperty("outcome").GetString());
        Assert.True(summary.GetProperty("published").GetBoolean());
        var v2Hash = summary.GetProperty("datasetHash").GetString();
        Assert.NotEqual(v1Hash, v2Hash);
        Assert.Equal(v1, summary.GetProperty("championVersion").GetString());
        Assert.Contains("epoch 1/2 (frozen)", second.Output, StringComparison.Ordinal);
        Assert.Contains($"33 images in 4 classes (blue, green, red, yellow), 0 skipped; dataset hash {v2Hash}", second.Output, StringComparison.Ordinal);
        var latest = await LatestAsync(bucket);
        Assert.NotNull(latest);
        Assert.NotEqual(v1, latest.Version);
        Assert.Equal(summary.GetProperty("version").GetString(), latest.Version);
        var manifest = await ManifestAsync(bucket, latest.Version);
        Assert.Equal(v2Hash, manifest.Training!.DatasetHash);
        Assert.Equal($"s3://{bucket}/datasets/colours/", manifest.Training.Dataset);
        Assert.Equal(v1Hash, (await ManifestAsync(bucket, v1)).Training!.DatasetHash);
        var report = Encoding.UTF8.GetString((await new S3ModelStore(Rgw.Client, bucket, "").ReadAsync(
            StoreLayout.BundleKey(latest.Version, ModelBundleWriter.ReportFileName), null, CancellationToken.None))!.Content);
        Assert.Contains("<h2>From feedback</h2><p>1 image(s) accepted from feedback", report, StringComparison.Ordinal);
        Assert.Contains($"live model {v1} ", report, StringComparison.Ordinal);
        Assert.Contains($"from feedback: 1 image(s)", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("from feedback:", first.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// A correction as <c>POST /feedback</c> stores it: the image under its content hash in
    /// <c>feedback/&lt;label&gt;/</c> (<see cref="FeedbackImageKey"/>), then the sidecar with what the live model said.
    /// </summary>
    private async Task<FeedbackImageKey> SendCorrectionAsync(string bucket, string label, string predicted, string modelVersion)
    {
        using var image = new Image<Rgb24>(40, 40, Colours.Single(c => c.Item1 == label).Item2);
        using var png = new MemoryStream();
        await image.SaveAsPngAsync(png);
        var bytes = png.ToArray();
        var key = new FeedbackImageKey(label, Convert.ToHexStringLower(SHA256.HashData(bytes)), FeedbackLayout.Extension("PNG"));
        var store = new S3ModelStore(Rgw.Client, bucket, "");
        using (var content = new MemoryStream(bytes, writable: false))
        {
            Assert.True(await store.TryCreateAsync(key.Key, content, "image/png", CancellationToken.None));
        }

        var sidecar = JsonSerializer.SerializeToUtf8Bytes(new
        {
            label,
            sha256 = key.Sha256,
            image = key.Key,
            modelVersion,
            predictedLabel = predicted,
            probability = 0.6,
            receivedAt = DateTimeOffset.UtcNow,
            source = "request",
        });
        using (var content = new MemoryStream(sidecar, writable: false))
        {
            Assert.True(await store.TryCreateAsync(key.SidecarKey, content, "application/json", CancellationToken.None));
        }

        return key;
    }

    /// <summary><c>mic-train accept --all</c> against the bucket, with its keys in the environment as a person's shell would have them.</summary>
    private Task<CommandRun> AcceptAllAsync(string bucket, string dataset)
    {
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        return CommandRun.RunAsync(dotnet, [Path.Combine(AppContext.BaseDirectory, "mic-train.dll"), "accept", "--store", $"s3://{bucket}",
            "--store-s3-service-url", Rgw.Connection.ServiceUrl!, "--dataset", dataset, "--all"], TimeSpan.FromMinutes(2),
            new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = Rgw.Connection.AccessKey,
                ["AWS_SECRET_ACCESS_KEY"] = Rgw.Connection.SecretKey,
            });
    }
}
