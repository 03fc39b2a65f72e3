using System.Security.Cryptography;
using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Trainer.Data;
using Mic.Trainer.Feedback;

namespace Mic.Trainer.Tests.Feedback;

/// <summary>
/// <c>review</c> and <c>accept</c>'s work against a real Ceph RGW: feedback laid out as the function writes it
/// (image + sidecar under feedback/&lt;label&gt;/), listed, shown, and moved into datasets/&lt;name&gt;/ where training reads it.
/// </summary>
public sealed class FeedbackLoopTests(RgwFixture rgw) : IClassFixture<RgwFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Review_FeedbackInRgw_ListsEveryImageWithItsPredictionAndThumbnail()
    {
        var store = await StoreAsync();
        var red = await SendAsync(store, "red", "coffee.png", "green");
        var none = await SendAsync(store, FeedbackLayout.Unlabelled, "rocket.jpg", "blue");
        var page = _temp.Combine("review.html");

        var items = await FeedbackInbox.ListAsync(store, CancellationToken.None);
        await FeedbackReviewPage.WriteAsync(store, items, page, CancellationToken.None);

        Assert.Equal([none, red], items.Select(i => i.Key.Key));
        var item = items.Single(i => i.Key.Key == red);
        Assert.Equal("green", item.PredictedLabel);
        Assert.Equal(0.75, item.Probability!.Value, 3);
        Assert.Equal("v1", item.ModelVersion);
        Assert.True(item.HasTrainingLabel);
        Assert.False(items.Single(i => i.Key.Key == none).HasTrainingLabel);
        var html = await File.ReadAllTextAsync(page);
        Assert.Equal(2, html.Split("src=\"data:image/jpeg;base64,").Length - 1);
        Assert.Contains(red, html, StringComparison.Ordinal);
        Assert.Contains("None of these (never accepted)", html, StringComparison.Ordinal);
        Assert.Contains("model said green (75%)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_ChosenKey_MovesImageIntoDatasetAndRemovesFeedback()
    {
        var store = await StoreAsync();
        var red = await SendAsync(store, "red", "coffee.png", "green");
        var blue = await SendAsync(store, "blue", "rocket.jpg", "red");
        var items = await FeedbackInbox.ListAsync(store, CancellationToken.None);

        var moved = await FeedbackAcceptance.AcceptAsync(store, "main", [items.Single(i => i.Key.Key == red)], null, CancellationToken.None);

        var sha = Sha(TestAssets.Skimage("coffee.png"));
        Assert.Equal([$"datasets/main/red/{sha}.png"], moved);
        Assert.Equal([$"datasets/main/red/{sha}.png"], await store.ListAsync(FeedbackLayout.DatasetsPrefix, CancellationToken.None));
        Assert.Equal([blue, FeedbackLayout.SidecarKey("blue", Sha(TestAssets.Skimage("rocket.jpg")))],
            await store.ListAsync(FeedbackLayout.Prefix, CancellationToken.None));
        Assert.Equal(await File.ReadAllBytesAsync(TestAssets.Skimage("coffee.png")), (await store.ReadAsync(moved[0], null, CancellationToken.None))!.Content);
    }

    [Fact]
    public async Task Accept_AllLabelled_NeverTakesUnlabelledOrUncertain_AndTrainingSeesTheImages()
    {
        var store = await StoreAsync();
        await SendAsync(store, "red", "coffee.png", "green");
        await SendAsync(store, "blue", "rocket.jpg", "red");
        var none = await SendAsync(store, FeedbackLayout.Unlabelled, "astronaut.png", "red");
        var uncertain = await SendAsync(store, FeedbackLayout.Uncertain, "chelsea.png", "red");
        var items = await FeedbackInbox.ListAsync(store, CancellationToken.None);

        await FeedbackAcceptance.AcceptAsync(store, "main", [.. items.Where(i => i.HasTrainingLabel)], null, CancellationToken.None);

        var left = await FeedbackInbox.ListAsync(store, CancellationToken.None);
        Assert.Equal([uncertain, none], left.Select(i => i.Key.Key));
        var dataset = await DatasetLoader.LoadAsync(new S3ImageSource(rgw.Client, $"{store.Location}/datasets/main"),
            new DatasetOptions { Input = new ModelInput(32, 32, ResizePolicy.ShorterSideThenCenterCrop), ValidFraction = 0.5, Seed = 1 },
            null, CancellationToken.None);
        Assert.Equal(["blue", "red"], dataset.Labels);
        Assert.Equal(2, dataset.Train.Ids.Length + dataset.Valid.Ids.Length);
    }

    [Fact]
    public async Task Accept_Unlabelled_IsRefusedBeforeAnythingMoves()
    {
        var store = await StoreAsync();
        await SendAsync(store, "red", "coffee.png", "green");
        var none = await SendAsync(store, FeedbackLayout.Unlabelled, "rocket.jpg", "blue");
        var items = await FeedbackInbox.ListAsync(store, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            FeedbackAcceptance.AcceptAsync(store, "main", items, "red", CancellationToken.None));

        Assert.Contains(none, error.Message, StringComparison.Ordinal);
        Assert.Empty(await store.ListAsync(FeedbackLayout.DatasetsPrefix, CancellationToken.None));
        Assert.Equal(4, (await store.ListAsync(FeedbackLayout.Prefix, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Accept_UncertainWithoutLabel_IsRefused_WithLabel_MovesUnderIt()
    {
        var store = await StoreAsync();
        var uncertain = await SendAsync(store, FeedbackLayout.Uncertain, "chelsea.png", "red");
        var items = await FeedbackInbox.ListAsync(store, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => FeedbackAcceptance.AcceptAsync(store, "main", items, null, CancellationToken.None));
        var moved = await FeedbackAcceptance.AcceptAsync(store, "main", items, "cat", CancellationToken.None);

        Assert.Contains("--label", error.Message, StringComparison.Ordinal);
        Assert.Equal([$"datasets/main/cat/{Sha(TestAssets.Skimage("chelsea.png"))}.png"], moved);
        Assert.DoesNotContain(uncertain, await store.ListAsync(FeedbackLayout.Prefix, CancellationToken.None));
    }

    private async Task<S3ModelStore> StoreAsync() => new(rgw.Client, await rgw.CreateBucketAsync(), "");

    /// <summary>Writes an image and its sidecar as the function does; returns the image's key.</summary>
    private static async Task<string> SendAsync(IModelStore store, string label, string photo, string predicted)
    {
        var bytes = await File.ReadAllBytesAsync(TestAssets.Skimage(photo));
        var key = new FeedbackImageKey(label, Sha(TestAssets.Skimage(photo)), Path.GetExtension(photo).TrimStart('.').Replace("jpeg", "jpg", StringComparison.Ordinal));
        using (var image = new MemoryStream(bytes))
        {
            await store.TryCreateAsync(key.Key, image, "image/png", CancellationToken.None);
        }

        var sidecar = $$"""{"label":"{{label}}","sha256":"{{key.Sha256}}","image":"{{key.Key}}","modelVersion":"v1","predictedLabel":"{{predicted}}","probability":0.75,"receivedAt":"2026-12-03T10:00:00+00:00","source":"request"}""";
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sidecar));
        await store.TryCreateAsync(key.SidecarKey, json, "application/json", CancellationToken.None);
        return key.Key;
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
