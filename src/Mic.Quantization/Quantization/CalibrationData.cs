using Mic.Core.Imaging;
using Mic.Core.Models;

namespace Mic.Quantization;

/// <summary>
/// Calibration samples in the model contract's input layout: each one <c>Height × Width × 3</c> bytes, RGB, row-major
/// (one NHWC <c>pixels</c> sample), exactly what <see cref="ImageResizer.ResizeInto"/> writes. The samples are kept by
/// reference; do not change them while a quantization runs.
/// </summary>
public sealed class CalibrationData
{
    public CalibrationData(int height, int width, IEnumerable<ReadOnlyMemory<byte>> samples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentNullException.ThrowIfNull(samples);
        Height = height;
        Width = width;
        Samples = [.. samples];
        var expected = SampleBytes;
        if (Samples.Count == 0)
        {
            throw new ArgumentException("calibration needs at least one sample", nameof(samples));
        }

        var wrong = Samples.FirstOrDefault(s => s.Length != expected, ReadOnlyMemory<byte>.Empty);
        if (Samples.Any(s => s.Length != expected))
        {
            throw new ArgumentException($"a sample holds {wrong.Length} bytes; {height}×{width}×3 = {expected} expected", nameof(samples));
        }
    }

    public int Height { get; }

    public int Width { get; }

    public int SampleBytes => Height * Width * 3;

    public IReadOnlyList<ReadOnlyMemory<byte>> Samples { get; }

    public int Count => Samples.Count;

    /// <summary>
    /// Decodes and resizes encoded photos exactly as the function serves them (<see cref="ImageDecoder"/> then
    /// <see cref="ImageResizer"/> with the manifest's input policy), so calibration sees what inference will see.
    /// </summary>
    /// <exception cref="ImageDecodeException">A photo does not decode.</exception>
    public static CalibrationData FromImages(IEnumerable<ReadOnlyMemory<byte>> encodedImages, ModelInput input,
        ImageDecoder? decoder = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encodedImages);
        ArgumentNullException.ThrowIfNull(input);
        decoder ??= new ImageDecoder();
        var samples = new List<ReadOnlyMemory<byte>>();
        foreach (var encoded in encodedImages)
        {
            using var image = decoder.Decode(encoded, cancellationToken);
            var pixels = new byte[ImageResizer.InputBytes(input)];
            ImageResizer.ResizeInto(image, input, pixels);
            samples.Add(pixels);
        }

        return new CalibrationData(input.Height, input.Width, samples);
    }
}
