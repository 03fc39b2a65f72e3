using System.Globalization;

namespace Mic.Trainer.Model;

/// <summary>
/// A backbone's input normalisation, applied inside the exported graph: with x the 0–255 pixel value in
/// <see cref="Order"/>, the backbone sees <c>x · Scale[c] + Offset[c]</c> per channel c.
/// </summary>
public sealed record Normalization(string Name, ChannelOrder Order, float[] Scale, float[] Offset)
{
    /// <summary>torchvision / ONNX model zoo: RGB in [0, 1], minus ImageNet mean, over ImageNet std.</summary>
    public static Normalization ImageNet { get; } = FromMeanStd("imagenet", ChannelOrder.Rgb, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Caffe/CNTK style: BGR in 0–255 minus the per-channel mean (the offline ResNet18's own means).</summary>
    public static Normalization CaffeBgr(float[] bgrMeans) =>
        new("caffe-bgr", ChannelOrder.Bgr, [1f, 1f, 1f], bgrMeans.Select(m => -m).ToArray());

    /// <summary>The offline ResNet18's preprocessing: per-channel means of its BGR mean image, as shipped with the package.</summary>
    public static Normalization ResNet18Offline { get; } = CaffeBgr([103.06f, 115.90f, 123.15f]);

    /// <summary>RGB in [0, 1], nothing else.</summary>
    public static Normalization UnitRange { get; } = new("unit", ChannelOrder.Rgb, [1 / 255f, 1 / 255f, 1 / 255f], [0f, 0f, 0f]);

    public static Normalization FromMeanStd(string name, ChannelOrder order, float[] mean, float[] std) =>
        new(name, order, std.Select(s => 1f / (255f * s)).ToArray(), mean.Zip(std, (m, s) => -m / s).ToArray());

    /// <summary>
    /// Parses <c>imagenet</c>, <c>caffe-bgr</c> (the offline ResNet18's BGR means), <c>unit</c>, or
    /// <c>rgb|bgr:mean=m0,m1,m2:std=s0,s1,s2</c> with mean and std on the 0–1 scale.
    /// </summary>
    public static Normalization Parse(string text)
    {
        switch (text)
        {
            case "imagenet":
                return ImageNet;
            case "caffe-bgr":
                return ResNet18Offline;
            case "unit":
                return UnitRange;
        }

        var parts = text.Split(':');
        if (parts.Length == 3 && parts[0] is "rgb" or "bgr" && parts[1].StartsWith("mean=", StringComparison.Ordinal)
            && parts[2].StartsWith("std=", StringComparison.Ordinal))
        {
            var mean = Floats(parts[1][5..]);
            var std = Floats(parts[2][4..]);
            if (mean.Length == 3 && std.Length == 3 && std.All(s => s > 0))
            {
                return FromMeanStd(text, parts[0] == "rgb" ? ChannelOrder.Rgb : ChannelOrder.Bgr, mean, std);
            }
        }

        throw new FormatException($"unknown normalization '{text}': use imagenet, caffe-bgr, unit or rgb:mean=0.485,0.456,0.406:std=0.229,0.224,0.225");
    }

    private static float[] Floats(string csv) =>
        csv.Split(',').Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
}
