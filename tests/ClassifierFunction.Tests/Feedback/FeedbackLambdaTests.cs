using Mic.ClassifierFunction.Tests.Api;
using Mic.ClassifierFunction.Tests.Lambda;

namespace Mic.ClassifierFunction.Tests.Feedback;

/// <summary>
/// <c>POST /feedback</c> as API Gateway delivers it: HTTP API 2.0 events to the published function under @vercel/fun,
/// with the model store, the upload and the feedback in a real Ceph RGW bucket.
/// </summary>
[Collection(RgwCollection.Name)]
public sealed class FeedbackLambdaTests(RgwFixture rgw, PublishedFunction function) : IClassFixture<PublishedFunction>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task HttpApiV2_PostedImageThenUploadKey_BothStoredUnderTheirLabels()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        var posted = Images.TintedPhoto("green");
        var uploaded = Images.TintedPhoto("red");
        await bucket.PutAsync("uploads/2026/12/03/photo.jpg", uploaded);
        await using var peer = await FunPeer.StartAsync(function.Directory, new Dictionary<string, string>
        {
            ["Mic__ModelStore"] = $"s3://{bucket.Name}",
            ["Mic__CacheDirectory"] = _temp.Combine("cache"),
            ["Mic__IntraOpThreads"] = "1",
            ["Mic__S3__ServiceUrl"] = rgw.Connection.ServiceUrl!,
            ["Mic__S3__ForcePathStyle"] = "true",
            ["Mic__S3__AccessKey"] = rgw.Connection.AccessKey!,
            ["Mic__S3__SecretKey"] = rgw.Connection.SecretKey!,
            ["Mic__Uploads__Bucket"] = bucket.Name,
        });

        var first = await peer.InvokeAsync(LambdaEvents.HttpApiV2("POST", "/feedback", posted, "image/jpeg", rawQueryString: "label=blue"));
        var second = await peer.InvokeAsync(LambdaEvents.HttpApiV2("POST", "/feedback", rawQueryString: "label=green&key=uploads%2F2026%2F12%2F03%2Fphoto.jpg"));

        Assert.Equal(201, StatusCode(first));
        Assert.Equal(201, StatusCode(second));
        Assert.Equal(posted, await bucket.GetAsync($"feedback/blue/{FeedbackBucket.Sha256(posted)}.jpg"));
        Assert.Equal(uploaded, await bucket.GetAsync($"feedback/green/{FeedbackBucket.Sha256(uploaded)}.jpg"));
        Assert.Equal(4, (await bucket.ListAsync()).Count);
    }

    private static int StatusCode(FunResult result)
    {
        Assert.Null(result.FunctionError);
        using var response = result.Json();
        return response.RootElement.GetProperty("statusCode").GetInt32();
    }
}
