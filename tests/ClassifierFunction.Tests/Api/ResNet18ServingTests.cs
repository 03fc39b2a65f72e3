using System.Net;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Tests.Api;

/// <summary>The real ResNet18 network served over HTTP: a different photo of the motorcycle is recognised.</summary>
public sealed class ResNet18ServingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Classify_MotorcyclePhoto_IsMotorcycle()
    {
        var store = new FileModelStore(_temp.Combine("store"));
        await ModelPublisher.PublishAsync(store, ResNet18Bundles.NearestCentroid(_temp.Combine("bundle")), CancellationToken.None);
        await using var app = new ClassifierApp(store.Root, _temp.Combine("cache"));
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/classify?top=2",
            ClassifyApiTests.Jpeg(ResNet18Bundles.AsJpeg(TestAssets.Skimage("motorcycle_right.png"), quality: 80)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ClassifyApiTests.ReadJsonAsync(response);
        Assert.Equal("motorcycle", json.RootElement.GetProperty("predictions")[0].GetProperty("label").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("predictions").GetArrayLength());
    }
}
