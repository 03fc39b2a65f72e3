using Amazon.S3.Model;
using Mic.Core.Models;
using Mic.Trainer.Data;

namespace Mic.Trainer.Tests.Data;

/// <summary>A folder-per-class dataset under an S3 prefix on a real Ceph RGW.</summary>
public sealed class S3ImageSourceTests(RgwFixture rgw) : IClassFixture<RgwFixture>
{
    [Fact]
    public async Task LoadAsync_S3Prefix_ReadsLabelsFromKeysAndSkipsNonImages()
    {
        var bucket = await rgw.CreateBucketAsync();
        foreach (var (key, photo) in new[]
        {
            ("bikes/left.png", "motorcycle_left.png"), ("bikes/right.png", "motorcycle_right.png"),
            ("cats/chelsea.png", "chelsea.png"), ("cats/deeper/coffee.png", "coffee.png"),
        })
        {
            await rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"datasets/demo/{key}", FilePath = TestAssets.Skimage(photo) });
        }

        await rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "datasets/demo/cats/readme.txt", ContentBody = "hello" });
        await rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "datasets/other/dogs/x.png", FilePath = TestAssets.Skimage("astronaut.png") });

        var source = new S3ImageSource(rgw.Client, $"s3://{bucket}/datasets/demo");
        var dataset = await DatasetLoader.LoadAsync(source,
            new DatasetOptions { Input = new ModelInput(32, 32, ResizePolicy.ShorterSideThenCenterCrop), ValidFraction = 0.5, Seed = 1 },
            null, CancellationToken.None);

        Assert.Equal(["bikes", "cats"], dataset.Labels);
        Assert.Equal(["cats/readme.txt"], dataset.Skipped.Select(s => s.Id));
        Assert.Equal(
            ["bikes/left.png", "bikes/right.png", "cats/chelsea.png", "cats/deeper/coffee.png"],
            dataset.Train.Ids.Concat(dataset.Valid.Ids).Order(StringComparer.Ordinal));
        Assert.Equal($"s3://{bucket}/datasets/demo", dataset.Description);
    }
}
