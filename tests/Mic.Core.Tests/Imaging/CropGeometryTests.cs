using Mic.Core.Imaging;
using Mic.Core.Models;

namespace Mic.Core.Tests.Imaging;

public sealed class CropGeometryTests
{
    /// <summary>The eight EXIF orientation values: upright, mirrored, and the rotations with and without a mirror.</summary>
    public static TheoryData<ushort> ExifOrientations => new(1, 2, 3, 4, 5, 6, 7, 8);

    [Theory]
    [InlineData(4032, 3024, 224, 224, 504, 0, 3024, 3024)]
    [InlineData(3024, 4032, 224, 224, 0, 504, 3024, 3024)]
    [InlineData(741, 500, 224, 224, 121, 0, 499, 500)] // equal margins: 121 + 499 + 121
    [InlineData(640, 480, 64, 32, 0, 80, 640, 320)]
    [InlineData(28, 28, 64, 64, 0, 0, 28, 28)]
    [InlineData(1000, 1, 224, 224, 499, 0, 2, 1)] // a strip keeps at least one pixel (here two: equal margins)
    [InlineData(1, 1000, 224, 224, 0, 499, 1, 2)]
    public void For_CenterCrop_KeepsTheLargestCentredRegionWithTheInputsAspect(int width, int height, int inputWidth,
        int inputHeight, int x, int y, int cropWidth, int cropHeight)
    {
        var crop = CropGeometry.For(width, height, new ModelInput(inputWidth, inputHeight, ResizePolicy.ShorterSideThenCenterCrop));

        Assert.Equal(new CropGeometry(x, y, cropWidth, cropHeight), crop);
    }

    [Fact]
    public void For_Stretch_KeepsTheWholeImage() =>
        Assert.Equal(new CropGeometry(0, 0, 300, 100), CropGeometry.For(300, 100, new ModelInput(30, 30, ResizePolicy.Stretch)));

    [Theory]
    [InlineData(4032, 3024, 8, 8)] // crop 3024 / 224 = 13.5
    [InlineData(640, 480, 8, 2)] // 480 / 224 = 2.1
    [InlineData(400, 300, 8, 1)]
    [InlineData(4032, 3024, 1, 1)] // formats without shrink-on-load
    [InlineData(1792, 1792, 8, 8)] // exactly 8x: the shrunk image is exactly the input
    public void ShrinkOnLoad_LeavesAtLeastTheInputSize(int width, int height, int maxShrink, int expected) =>
        Assert.Equal(expected, CropGeometry.ShrinkOnLoad(width, height, new ModelInput(224, 224, ResizePolicy.ShorterSideThenCenterCrop), maxShrink));

    [Theory]
    [MemberData(nameof(ExifOrientations))]
    public void ToStored_SelectsTheSamePixelsAsCroppingAfterLibvipsAutorotation(ushort orientation)
    {
        // A 7x4 stored image whose every pixel is unique; libvips' autorot turns it upright for this EXIF value.
        const int storedWidth = 7, storedHeight = 4;
        var values = Enumerable.Range(0, storedWidth * storedHeight).Select(v => (byte)v).ToArray();
        using var stored = NetVips.Image.NewFromMemory(values, storedWidth, storedHeight, 1, NetVips.Enums.BandFormat.Uchar);
        using var tagged = stored.Mutate(m => m.Set(NetVips.GValue.GIntType, "orientation", (int)orientation));
        using var upright = tagged.Autorot();
        var uprightCrop = new CropGeometry(1, 2, 2, 1);

        var storedCrop = uprightCrop.ToStored(orientation, upright.Width, upright.Height);

        using var fromUpright = upright.ExtractArea(uprightCrop.X, uprightCrop.Y, uprightCrop.Width, uprightCrop.Height);
        using var fromStored = stored.ExtractArea(storedCrop.X, storedCrop.Y, storedCrop.Width, storedCrop.Height);
        Assert.Equal(fromUpright.WriteToMemory<byte>().Order(), fromStored.WriteToMemory<byte>().Order());
    }
}
