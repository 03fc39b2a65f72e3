using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Trainer.Data;

/// <summary>
/// Fashion-MNIST from its gzipped IDX files (Debian <c>dataset-fashion-mnist</c>): 60,000 training and 10,000 test
/// images, 28×28 grayscale, 10 classes; <see cref="FashionMnistSubset"/> says which of them are offered and as which
/// split. Ids are <c>fashion-mnist/train/NNNNN</c> and <c>fashion-mnist/test/NNNNN</c> whatever the subset, so an
/// exclude list fits them all and a test id can never name a training image. Each image becomes RGB and then goes
/// through the same resize as a served photo.
/// </summary>
public sealed class FashionMnistSource(string directory, FashionMnistSubset subset = FashionMnistSubset.Official) : IImageSource
{
    public const string Name = "fashion-mnist";
    public const string TrainName = Name + "-train";
    public const string TestName = Name + "-test";
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";
    private const int Side = 28;

    public static readonly string[] ClassNames =
        ["t-shirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];

    public FashionMnistSubset Subset => subset;

    public string Description => $"{SubsetName(subset)} ({directory})";

    public IReadOnlyList<string> Labels => ClassNames;

    /// <summary>
    /// Reads a <c>--data</c> value: <c>fashion-mnist</c>, <c>fashion-mnist-train</c> or <c>fashion-mnist-test</c>, each
    /// optionally followed by <c>:DIR</c> (default <see cref="DefaultDirectory"/>). False for anything else (a folder
    /// or an S3 URI).
    /// </summary>
    public static bool TryParse(string data, [NotNullWhen(true)] out FashionMnistSource? source)
    {
        foreach (var candidate in new[] { FashionMnistSubset.Official, FashionMnistSubset.Train, FashionMnistSubset.Test })
        {
            var name = SubsetName(candidate);
            if (data == name || data.StartsWith(name + ":", StringComparison.Ordinal))
            {
                var directory = data.Length > name.Length ? data[(name.Length + 1)..] : DefaultDirectory;
                source = new FashionMnistSource(directory.Length == 0 ? DefaultDirectory : directory, candidate);
                return true;
            }
        }

        source = null;
        return false;
    }

    public async Task<IReadOnlyList<SourceImage>> ListAsync(CancellationToken cancellationToken)
    {
        var images = new List<SourceImage>();
        (string Prefix, DatasetSplit? Split)[] files = subset switch
        {
            FashionMnistSubset.Train => [("train", null)],
            FashionMnistSubset.Test => [("t10k", DatasetSplit.Valid)],
            _ => [("train", DatasetSplit.Train), ("t10k", DatasetSplit.Valid)],
        };
        foreach (var (prefix, split) in files)
        {
            var pixels = await ReadIdxAsync(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), 0x803, cancellationToken);
            var labels = await ReadIdxAsync(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), 0x801, cancellationToken);
            if (pixels.Length != labels.Length * Side * Side)
            {
                throw new InvalidDataException($"{directory}: {prefix} has {labels.Length} labels but {pixels.Length / (Side * Side)} images");
            }

            var name = prefix == "train" ? "train" : "test";
            for (var i = 0; i < labels.Length; i++)
            {
                var bytes = pixels.AsMemory(i * Side * Side, Side * Side);
                images.Add(new SourceImage($"{Name}/{name}/{i:D5}", ClassNames[labels[i]], split,
                    _ => Task.FromResult(bytes.ToArray()), ToRgb));
            }
        }

        return images;
    }

    private static string SubsetName(FashionMnistSubset subset) => subset switch
    {
        FashionMnistSubset.Train => TrainName,
        FashionMnistSubset.Test => TestName,
        _ => Name,
    };

    private static Image<Rgb24> ToRgb(byte[] gray)
    {
        var image = new Image<Rgb24>(Side, Side);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < Side; y++)
            {
                var row = MemoryMarshal.AsBytes(rows.GetRowSpan(y));
                for (var x = 0; x < Side; x++)
                {
                    row[(x * 3) + 0] = row[(x * 3) + 1] = row[(x * 3) + 2] = gray[(y * Side) + x];
                }
            }
        });
        return image;
    }

    private static async Task<byte[]> ReadIdxAsync(string path, int magic, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Fashion-MNIST file {path} is missing (Debian package dataset-fashion-mnist)", path);
        }

        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        await gzip.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        var header = bytes.AsSpan();
        if (BinaryPrimitives.ReadInt32BigEndian(header) != magic)
        {
            throw new InvalidDataException($"{path}: not an IDX file with magic 0x{magic:x}");
        }

        var dimensions = magic & 0xff;
        return bytes[(4 + (4 * dimensions))..];
    }
}
