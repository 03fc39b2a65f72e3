using Mic.Core.Models;

namespace Mic.Trainer.Data;

/// <summary>
/// Decoded, resized images held in memory: <see cref="Pixels"/> is <c>[Count, H, W, 3]</c> uint8 RGB, exactly the
/// bytes the served model would see for the same files. <see cref="Targets"/> index <see cref="Labels"/>.
/// </summary>
public sealed class ImageSet(ModelInput input, IReadOnlyList<string> labels, byte[] pixels, int[] targets, string[] ids)
{
    public ModelInput Input { get; } = input;

    public IReadOnlyList<string> Labels { get; } = labels;

    public byte[] Pixels { get; } = pixels;

    public int[] Targets { get; } = targets;

    public string[] Ids { get; } = ids;

    public int Count => Targets.Length;

    public int SampleBytes => Input.Width * Input.Height * 3;

    public Memory<byte> Sample(int index) => Pixels.AsMemory(index * SampleBytes, SampleBytes);
}
