using System.Net;
using Mic.ClassifierFunction.S3Events;
using Mic.ClassifierFunction.Tests.Api;
using Mic.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Mic.ClassifierFunction.Tests.Feedback;

/// <summary>
/// <c>POST /feedback</c> against a real Ceph RGW holding the model store, the uploads and the feedback, as deployed:
/// what is stored where, with which sidecar, and that every refusal writes nothing.
/// </summary>
[Collection(RgwCollection.Name)]
public sealed class FeedbackApiTests(RgwFixture rgw) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Feedback_PostedImage_StoredUnderLabelWithSidecar()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        using var client = app.CreateClient();
        var photo = Images.TintedPhoto("green");
        var sha = FeedbackBucket.Sha256(photo);

        using var response = await client.PostAsync("/feedback?label=blue", FeedbackBucket.Jpeg(photo));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var receipt = await ClassifyApiTests.ReadJsonAsync(response);
        Assert.Equal($"feedback/blue/{sha}.jpg", receipt.RootElement.GetProperty("key").GetString());
        Assert.True(receipt.RootElement.GetProperty("created").GetBoolean());
        Assert.Equal([$"feedback/blue/{sha}.jpg", $"feedback/blue/{sha}.json"], await bucket.ListAsync());
        Assert.Equal(photo, await bucket.GetAsync($"feedback/blue/{sha}.jpg"));
        using var sidecar = await bucket.GetJsonAsync($"feedback/blue/{sha}.json");
        var root = sidecar.RootElement;
        Assert.Equal("blue", root.GetProperty("label").GetString());
        Assert.Equal("v1", root.GetProperty("modelVersion").GetString());
        Assert.Equal("green", root.GetProperty("predictedLabel").GetString());
        Assert.InRange(root.GetProperty("probability").GetSingle(), 0.5f, 1f);
        Assert.Equal("request", root.GetProperty("source").GetString());
        Assert.InRange(root.GetProperty("receivedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Feedback_UploadKey_CopiedFromUploadsWithItsPrediction()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        using var client = app.CreateClient();
        var photo = Images.TintedPhoto("red");
        var sha = FeedbackBucket.Sha256(photo);
        const string upload = "uploads/2026/12/03/my photo+1.jpg";
        await bucket.PutAsync(upload, photo);

        using var response = await client.PostAsync($"/feedback?label=green&key={Uri.EscapeDataString(upload)}", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(photo, await bucket.GetAsync($"feedback/green/{sha}.jpg"));
        using var sidecar = await bucket.GetJsonAsync($"feedback/green/{sha}.json");
        Assert.Equal(upload, sidecar.RootElement.GetProperty("sourceKey").GetString());
        Assert.Equal("upload", sidecar.RootElement.GetProperty("source").GetString());
        Assert.Equal("red", sidecar.RootElement.GetProperty("predictedLabel").GetString());
        var head = await bucket.Client.GetObjectMetadataAsync(bucket.Name, $"feedback/green/{sha}.jpg");
        Assert.Equal("image/jpeg", head.Headers.ContentType);
    }

    [Fact]
    public async Task Feedback_SameImageAndLabelTwice_StoredOnce()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        using var client = app.CreateClient();
        var photo = Images.TintedPhoto("blue");
        var sha = FeedbackBucket.Sha256(photo);

        using var first = await client.PostAsync("/feedback?label=red", FeedbackBucket.Jpeg(photo));
        var sidecar = await bucket.GetAsync($"feedback/red/{sha}.json");
        using var second = await client.PostAsync("/feedback?label=red", FeedbackBucket.Jpeg(photo));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var receipt = await ClassifyApiTests.ReadJsonAsync(second);
        Assert.False(receipt.RootElement.GetProperty("created").GetBoolean());
        Assert.Equal([$"feedback/red/{sha}.jpg", $"feedback/red/{sha}.json"], await bucket.ListAsync());
        Assert.Equal(sidecar, await bucket.GetAsync($"feedback/red/{sha}.json"));
    }

    [Fact]
    public async Task Feedback_NoneOfThese_StoredUnderUnlabelled()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App();
        using var client = app.CreateClient();
        var photo = Images.TintedPhoto("red");
        var sha = FeedbackBucket.Sha256(photo);

        using var response = await client.PostAsync($"/feedback?label={FeedbackLayout.Unlabelled}", FeedbackBucket.Jpeg(photo));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal([$"feedback/_unlabelled/{sha}.jpg", $"feedback/_unlabelled/{sha}.json"], await bucket.ListAsync());
    }

    [Theory]
    [InlineData("/feedback?label=purple", true, HttpStatusCode.BadRequest, "not a label of model v1")]
    [InlineData("/feedback?label=_uncertain", true, HttpStatusCode.BadRequest, "not a label of model v1")]
    [InlineData("/feedback", true, HttpStatusCode.BadRequest, "?label=")]
    [InlineData("/feedback?label=red", false, HttpStatusCode.BadRequest, "send the image")]
    [InlineData("/feedback?label=red&key=models/latest.json", false, HttpStatusCode.BadRequest, "under uploads/")]
    [InlineData("/feedback?label=red&key=results/2026/a.jpg.json", false, HttpStatusCode.BadRequest, "under uploads/")]
    [InlineData("/feedback?label=red&key=feedback/red/a.jpg", false, HttpStatusCode.BadRequest, "under uploads/")]
    [InlineData("/feedback?label=red&key=uploads/", false, HttpStatusCode.BadRequest, "under uploads/")]
    [InlineData("/feedback?label=red&key=uploads/never-uploaded.jpg", false, HttpStatusCode.NotFound, "nothing was uploaded")]
    [InlineData("/feedback?label=red&key=uploads/photo.jpg", true, HttpStatusCode.BadRequest, "not both")]
    public async Task Feedback_BadRequest_IsProblemAndWritesNothing(string url, bool withImage, HttpStatusCode status, string detail)
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await bucket.PutAsync("uploads/photo.jpg", Images.TintedPhoto("red"));
        await using var app = bucket.App();
        using var client = app.CreateClient();

        using var response = await client.PostAsync(url, withImage ? FeedbackBucket.Jpeg(Images.TintedPhoto("green")) : null);

        await ClassifyApiTests.AssertProblemAsync(response, status, detail);
        Assert.Empty(await bucket.ListAsync());
    }

    [Fact]
    public async Task Feedback_BodyOverTheLimit_Is413AndWritesNothing()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        var photo = Images.TintedPhoto("green");
        await using var app = bucket.App(new Dictionary<string, string?> { ["Mic:Feedback:MaxImageBytes"] = (photo.Length - 1).ToString() });
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/feedback?label=red", FeedbackBucket.Jpeg(photo));

        await ClassifyApiTests.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "Mic:Feedback:MaxImageBytes");
        Assert.Empty(await bucket.ListAsync());
    }

    [Fact]
    public async Task Feedback_NotAnImage_Is415AndWritesNothing()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await bucket.PutAsync("uploads/page.jpg", "<html>not a photo</html>"u8.ToArray());
        await using var app = bucket.App();
        using var client = app.CreateClient();

        using var posted = await client.PostAsync("/feedback?label=red", FeedbackBucket.Jpeg("<html>not a photo</html>"u8.ToArray()));
        using var uploaded = await client.PostAsync("/feedback?label=red&key=uploads/page.jpg", null);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, posted.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, uploaded.StatusCode);
        Assert.Empty(await bucket.ListAsync());
    }

    [Fact]
    public async Task Feedback_FolderModelStore_StoredInTheFolder()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        await using var app = new ClassifierApp(store.Root, _temp.Combine("cache"));
        using var client = app.CreateClient();
        var photo = Images.TintedPhoto("green");
        var sha = FeedbackBucket.Sha256(photo);

        using var response = await client.PostAsync("/feedback?label=green", FeedbackBucket.Jpeg(photo));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(photo, await File.ReadAllBytesAsync(Path.Combine(store.Root, "feedback", "green", $"{sha}.jpg")));
        Assert.True(File.Exists(Path.Combine(store.Root, "feedback", "green", $"{sha}.json")));
    }

    [Fact]
    public async Task Feedback_Disabled_Is404()
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App(new Dictionary<string, string?> { ["Mic:Feedback:Enabled"] = "false" });
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/feedback?label=red", FeedbackBucket.Jpeg(Images.TintedPhoto("red")));

        await ClassifyApiTests.AssertProblemAsync(response, HttpStatusCode.NotFound, "Mic:Feedback:Enabled");
        Assert.Empty(await bucket.ListAsync());
    }

    [Theory]
    [InlineData("grey", "0.5", true)]
    [InlineData("blue", "0.5", false)]
    [InlineData("grey", "0", false)]
    public async Task S3Upload_TopProbabilityUnderThreshold_QueuedUnderUncertain(string colour, string threshold, bool queued)
    {
        var bucket = await FeedbackBucket.CreateAsync(rgw, _temp);
        await using var app = bucket.App(new Dictionary<string, string?> { ["Mic:Feedback:UncertaintyThreshold"] = threshold });
        using var client = app.CreateClient(); // starts the host, which loads the model
        var photo = colour == "grey" ? FeedbackBucket.GreyPhoto() : Images.TintedPhoto(colour);
        var sha = FeedbackBucket.Sha256(photo);
        await bucket.PutAsync("uploads/a.jpg", photo);

        await app.Services.GetRequiredService<S3UploadClassifier>().ProcessAsync(bucket.Name, "uploads/a.jpg", "test-trigger", null, CancellationToken.None);

        Assert.Equal(["results/a.jpg.json"], await bucket.ListAsync("results/"));
        if (!queued)
        {
            Assert.Empty(await bucket.ListAsync());
            return;
        }

        Assert.Equal([$"feedback/_uncertain/{sha}.jpg", $"feedback/_uncertain/{sha}.json"], await bucket.ListAsync());
        Assert.Equal(photo, await bucket.GetAsync($"feedback/_uncertain/{sha}.jpg"));
        using var sidecar = await bucket.GetJsonAsync($"feedback/_uncertain/{sha}.json");
        Assert.Equal("uncertain", sidecar.RootElement.GetProperty("source").GetString());
        Assert.Equal("uploads/a.jpg", sidecar.RootElement.GetProperty("sourceKey").GetString());
        Assert.InRange(sidecar.RootElement.GetProperty("probability").GetSingle(), 0f, 0.5f);
    }
}
