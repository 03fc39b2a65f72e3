using Amazon.S3;
using Mic.Core.Models;
using Mic.Core.Store;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Trainer.Tests.Retraining;

/// <summary>
/// <c>mic-train retrain</c>, the trainer image's entry point, on CPU against a real Ceph RGW with tiny data. Each test
/// owns its bucket; each class has its own RGW, since a ResNet18 checkpoint is ~180 MB a copy and the test RGW's
/// memory store holds 1 GiB (deleted objects are freed only by RGW's garbage collection, hours later). The classes
/// run one after another (<see cref="RetrainCollection"/>): each trains.
/// </summary>
public abstract class RetrainTestsBase(RgwFixture rgw)
{
    protected RgwFixture Rgw => rgw;

    protected static readonly (string, Rgb24)[] Colours =
    [
        ("blue", new Rgb24(30, 60, 220)), ("green", new Rgb24(40, 200, 60)), ("red", new Rgb24(220, 40, 40)), ("yellow", new Rgb24(230, 220, 40)),
    ];

    protected async Task<LatestPointer?> LatestAsync(string bucket) =>
        await ModelCatalog.ReadLatestAsync(new S3ModelStore(rgw.Client, bucket, ""), CancellationToken.None);

    protected async Task<byte[]?> LatestBytesAsync(string bucket) =>
        (await new S3ModelStore(rgw.Client, bucket, "").ReadAsync(StoreLayout.LatestKey, null, CancellationToken.None))?.Content;

    protected async Task<ModelManifest> ManifestAsync(string bucket, string version)
    {
        var stored = await new S3ModelStore(rgw.Client, bucket, "").ReadAsync(StoreLayout.BundleKey(version, ModelBundleWriter.ManifestFileName), null, CancellationToken.None);
        return ModelBundle.ParseManifest(stored!.Content, version);
    }

    protected async Task<IReadOnlyList<string>> KeysAsync(string bucket, string prefix) =>
        await new S3ModelStore(rgw.Client, bucket, "").ListAsync(prefix, CancellationToken.None);

    protected async Task<bool> ExistsAsync(string bucket, string key)
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

    private protected static async Task WaitForAsync(Func<Task<bool>> condition, RetrainRun run, TimeSpan timeout)
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
