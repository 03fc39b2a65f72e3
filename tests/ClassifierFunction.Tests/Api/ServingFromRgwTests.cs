using System.Net;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Tests.Api;

[Collection(RgwCollection.Name)]
public sealed class ServingFromRgwTests(RgwFixture rgw) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Classify_ModelPublishedToRgw_IsServedThroughS3Uri()
    {
        var bucket = await rgw.CreateBucketAsync();
        var store = new S3ModelStore(rgw.Client, bucket, "prod");
        await TestBundles.PublishColorAsync(store, _temp.Path, "s3-v1");
        await using var app = new ClassifierApp($"s3://{bucket}/prod", _temp.Combine("cache"), new Dictionary<string, string?>
        {
            ["Mic:S3:ServiceUrl"] = rgw.Connection.ServiceUrl,
            ["Mic:S3:ForcePathStyle"] = "true",
            ["Mic:S3:AccessKey"] = rgw.Connection.AccessKey,
            ["Mic:S3:SecretKey"] = rgw.Connection.SecretKey,
        });
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/classify", ClassifyApiTests.Jpeg(Images.TintedPhoto("green")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ClassifyApiTests.ReadJsonAsync(response);
        Assert.Equal("s3-v1", json.RootElement.GetProperty("modelVersion").GetString());
        Assert.Equal("green", json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
    }
}
