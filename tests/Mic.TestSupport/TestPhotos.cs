using Mic.Core.Imaging;
using Mic.Core.Models;

namespace Mic.TestSupport;

/// <summary>
/// Real photos split in two disjoint sets for int8 work: one to calibrate on, one held out to measure agreement on.
/// The held-out set holds the <see cref="ResNet18Bundles"/> test photos (other views and re-encodes of its
/// references), so a calibration never sees what a test asserts on.
/// </summary>
public static class TestPhotos
{
    public static IReadOnlyList<string> Calibration { get; } =
    [
        TestAssets.Skimage("astronaut.png"),
        TestAssets.Skimage("hubble_deep_field.jpg"),
        TestAssets.Skimage("retina.jpg"),
        TestAssets.Skimage("camera.png"),
        TestAssets.MateBackground("nature/Dune.jpg"),
        TestAssets.MateBackground("nature/Aqua.jpg"),
        TestAssets.MateBackground("nature/RainDrops.jpg"),
        TestAssets.MateBackground("nature/Storm.jpg"),
    ];

    public static IReadOnlyList<string> HeldOut { get; } =
    [
        TestAssets.Skimage("motorcycle_left.png"),
        TestAssets.Skimage("motorcycle_right.png"),
        TestAssets.Skimage("chelsea.png"),
        TestAssets.Skimage("coffee.png"),
        TestAssets.Skimage("rocket.jpg"),
        TestAssets.MateBackground("nature/Garden.jpg"),
        TestAssets.MateBackground("nature/LadyBird.jpg"),
        TestAssets.MateBackground("nature/TwoWings.jpg"),
        TestAssets.MateBackground("nature/YellowFlower.jpg"),
        TestAssets.MateBackground("nature/FreshFlower.jpg"),
    ];

    public static ModelInput ResNet18Input { get; } = new(ResNet18Models.Size, ResNet18Models.Size, ResizePolicy.ShorterSideThenCenterCrop);

    /// <summary>One NHWC uint8 sample of the photo at <paramref name="path"/>, decoded and cropped as the function does.</summary>
    public static byte[] Pixels(string path, ModelInput input)
    {
        using var image = new ImageDecoder().Decode(File.ReadAllBytes(path));
        var pixels = new byte[ImageResizer.InputBytes(input)];
        ImageResizer.ResizeInto(image, input, pixels);
        return pixels;
    }
}
