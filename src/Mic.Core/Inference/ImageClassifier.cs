using System.Buffers;
using System.Diagnostics;
using Mic.Core.Imaging;

namespace Mic.Core.Inference;

/// <summary>
/// Decode → resize → infer for one encoded image, timing each stage: the exact path the function serves and the
/// trainer evaluates with. Thread-safe.
/// </summary>
public sealed class ImageClassifier(ImageDecoder decoder)
{
    public const int DefaultTop = 5;

    public ImageDecoder Decoder { get; } = decoder;

    /// <exception cref="ImageDecodeException">The bytes are not an image within the limits.</exception>
    public ClassificationResult Classify(OnnxClassifier model, ReadOnlyMemory<byte> encoded, int top = DefaultTop,
        CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        using var image = Decoder.Decode(encoded, cancellationToken);
        var decoded = Stopwatch.GetTimestamp();

        var buffer = ArrayPool<byte>.Shared.Rent(model.SampleBytes);
        try
        {
            var pixels = buffer.AsMemory(0, model.SampleBytes);
            ImageResizer.ResizeInto(image, model.Manifest.Input, pixels);
            var resized = Stopwatch.GetTimestamp();

            var probabilities = model.Run(pixels, 1, cancellationToken);
            var inferred = Stopwatch.GetTimestamp();

            return new ClassificationResult(
                model.Manifest.Version,
                model.Top(probabilities, top),
                new ImageSummary(image.Width, image.Height, image.Format),
                new StageTimings(
                    Milliseconds(start, decoded),
                    Milliseconds(decoded, resized),
                    Milliseconds(resized, inferred),
                    Milliseconds(start, inferred)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static double Milliseconds(long from, long to) =>
        Math.Round(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds, 3);
}
