using Mic.Core.Imaging;

namespace Mic.Core.Tests.Imaging;

/// <summary>Byte-level mutations in the style of AFL's havoc stage, and the check every mutant must pass.</summary>
internal static class DecoderMutator
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x10, 0x40];

    public static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        var edits = 1 + random.Next(8);
        for (var e = 0; e < edits; e++)
        {
            // Header bytes decide sizes and offsets; weight mutations towards the first 256 bytes.
            var limit = random.Next(3) == 0 ? bytes.Length : Math.Min(bytes.Length, 256);
            var at = random.Next(limit);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 3 when at + 4 < bytes.Length:
                    BitConverter.TryWriteBytes(bytes.AsSpan(at), random.Next(3) switch { 0 => int.MaxValue, 1 => 0x7FFF, _ => random.Next() });
                    break;
                default:
                    bytes = bytes[..Math.Max(1, at)];
                    break;
            }
        }

        return bytes;
    }

    /// <summary>Null when the input decodes or is refused with an <see cref="ImageDecodeException"/>; else what went wrong.</summary>
    public static string? Check(ImageDecoder decoder, byte[] input)
    {
        try
        {
            var task = Task.Run(() =>
            {
                using var image = decoder.Decode(input);
                return image.Width;
            });
            return task.Wait(TimeSpan.FromSeconds(20)) ? null : "decode did not finish within 20 s";
        }
        catch (AggregateException e) when (e.InnerException is ImageDecodeException)
        {
            return null;
        }
        catch (AggregateException e)
        {
            return $"{e.InnerException!.GetType().Name}: {e.InnerException.Message}";
        }
    }
}
