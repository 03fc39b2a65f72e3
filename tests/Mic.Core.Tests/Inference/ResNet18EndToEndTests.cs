using Mic.Core.Imaging;
using Mic.Core.Inference;
using Mic.Core.Models;

namespace Mic.Core.Tests.Inference;

/// <summary>
/// A real network end to end: the offline ImageNet ResNet18 with a nearest-centroid head built from real photos.
/// A different photo of the same motorcycle must land on "motorcycle" through decode → crop → ResNet18.
/// </summary>
public sealed class ResNet18EndToEndTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Classify_OtherViewOfReferencePhoto_FindsItsLabel()
    {
        var bundle = ResNet18Bundles.NearestCentroid(_temp.Path);
        using var model = OnnxClassifier.Load(bundle);
        var classifier = new ImageClassifier(new ImageDecoder());

        var result = classifier.Classify(model, TestAssets.Bytes(TestAssets.Skimage("motorcycle_right.png")), top: 3);

        Assert.Equal("motorcycle", result.Predictions[0].Label);
        Assert.Equal(new ImageSummary(741, 500, "png"), result.Image);
        Assert.True(result.Timings.InferenceMs > 0);
    }

    [Theory]
    [InlineData("chelsea.png", "cat")]
    [InlineData("coffee.png", "coffee")]
    [InlineData("rocket.jpg", "rocket")]
    public void Classify_ReferencePhotoReencodedAsJpeg_FindsItsLabel(string photo, string label)
    {
        var bundle = ResNet18Bundles.NearestCentroid(_temp.Path);
        using var model = OnnxClassifier.Load(bundle);
        var classifier = new ImageClassifier(new ImageDecoder());

        var result = classifier.Classify(model, ResNet18Bundles.AsJpeg(TestAssets.Skimage(photo), quality: 60));

        Assert.Equal(label, result.Predictions[0].Label);
        Assert.Equal(ResizePolicy.ShorterSideThenCenterCrop, model.Manifest.Input.Resize);
    }
}
