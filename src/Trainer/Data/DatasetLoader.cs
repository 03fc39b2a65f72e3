using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Mic.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Trainer.Data;

/// <summary>
/// Reads, decodes (Mic.Core's <see cref="ImageDecoder"/>, so training sees what serving sees) and resizes
/// (<see cref="ImageResizer"/>, the served crop) every image of a source in parallel, once, into memory. A file that
/// cannot be read or decoded is skipped and listed, never fatal.
/// </summary>
public static class DatasetLoader
{
    public static async Task<Dataset> LoadAsync(IImageSource source, DatasetOptions options, IProgress<(int Done, int Total)>? progress,
        CancellationToken cancellationToken)
    {
        var listed = await source.ListAsync(cancellationToken);
        var skipped = new ConcurrentBag<SkippedImage>();
        var selected = new List<SourceImage>();
        foreach (var image in listed)
        {
            if (options.Exclude.Contains(image.Id))
            {
                skipped.Add(new SkippedImage(image.Id, "excluded by the exclude list"));
            }
            else
            {
                selected.Add(image);
            }
        }

        selected = Cap(selected, options);
        var decoder = new ImageDecoder();
        var sampleBytes = options.Input.Width * options.Input.Height * 3;
        var pixels = new byte[selected.Count][];
        var hashes = new string[selected.Count];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, selected.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var image = selected[i];
                try
                {
                    var bytes = await image.ReadAsync(ct);
                    hashes[i] = Convert.ToHexStringLower(SHA256.HashData(bytes));
                    using var decoded = image.Decode is { } decode ? FromPixels(decode(bytes)) : decoder.Decode(bytes, ct);
                    var buffer = new byte[sampleBytes];
                    ImageResizer.ResizeInto(decoded, options.Input, buffer);
                    pixels[i] = buffer;
                }
                catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException
                    or InvalidDataException or Amazon.S3.AmazonS3Exception or ImageFormatException)
                {
                    skipped.Add(new SkippedImage(image.Id, e.Message));
                }

                progress?.Report((Interlocked.Increment(ref done), selected.Count));
            });

        var loaded = Enumerable.Range(0, selected.Count).Where(i => pixels[i] is not null).ToArray();
        var labels = source.Labels
            ?? loaded.Select(i => selected[i].Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (labels.Count < 2)
        {
            throw new InvalidDataException($"{source.Description}: found {labels.Count} class(es) with readable images; at least two are needed");
        }

        var labelIndex = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var valid = AssignSplits(loaded, selected, options.Seed, HoldOutFraction(options, selected.Count(i => i.Split is null)));
        ImageSet Build(IEnumerable<int> indices)
        {
            var chosen = indices.ToArray();
            var buffer = new byte[chosen.Length * sampleBytes];
            for (var k = 0; k < chosen.Length; k++)
            {
                pixels[chosen[k]].CopyTo(buffer, k * sampleBytes);
            }

            return new ImageSet(options.Input, labels, buffer,
                chosen.Select(i => labelIndex[selected[i].Label]).ToArray(),
                chosen.Select(i => selected[i].Id).ToArray());
        }

        var train = Build(loaded.Where(i => !valid.Contains(i)));
        var validation = Build(loaded.Where(valid.Contains));
        var duplicates = loaded.GroupBy(i => hashes[i], StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<string>)g.Select(i => selected[i].Id).ToArray())
            .ToArray();
        var hashText = new StringBuilder();
        foreach (var i in loaded.OrderBy(i => selected[i].Id, StringComparer.Ordinal))
        {
            hashText.Append(selected[i].Id).Append('\t').Append(selected[i].Label).Append('\t').Append(hashes[i]).Append('\n');
        }

        return new Dataset(source.Description, labels, train, validation,
            skipped.OrderBy(s => s.Id, StringComparer.Ordinal).ToArray(), duplicates,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashText.ToString()))));
    }

    /// <summary>Reads an exclude list: one id per line; blank lines and lines starting with # are ignored.</summary>
    public static HashSet<string> ReadExcludeFile(string path) =>
        File.ReadLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t')[0])
            .ToHashSet(StringComparer.Ordinal);

    // Raw-pixel sources (Fashion-MNIST) skip decoding but take the same resize as a photo.
    private static DecodedImage FromPixels(Image<Rgb24> image)
    {
        using (image)
        {
            var rgb = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(rgb);
            return DecodedImage.FromRgb(rgb, image.Width, image.Height);
        }
    }

    /// <summary>
    /// The share of each class a source without a fixed split holds out. With both caps the sample of
    /// <c>MaxTrain + MaxValid</c> images splits as the caps say; with only <c>MaxValid</c> fewer are held out, so the
    /// validation split stays under it and the rest train.
    /// </summary>
    private static double HoldOutFraction(DatasetOptions options, int unsplit) => (options.MaxTrain, options.MaxValid) switch
    {
        ({ } train, { } valid) => (double)valid / (train + valid),
        (null, { } valid) when unsplit > 0 => Math.Min(options.ValidFraction, (double)valid / unsplit),
        _ => options.ValidFraction,
    };

    private static HashSet<int> AssignSplits(int[] loaded, List<SourceImage> selected, int seed, double validFraction)
    {
        var valid = new HashSet<int>();
        var random = new Random(seed);
        foreach (var group in loaded.Where(i => selected[i].Split is null).GroupBy(i => selected[i].Label, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            var count = members.Length < 2 ? 0 : Math.Max(1, (int)Math.Round(members.Length * validFraction));
            valid.UnionWith(members.Take(count));
        }

        valid.UnionWith(loaded.Where(i => selected[i].Split == DatasetSplit.Valid));
        return valid;
    }

    /// <summary>Applies MaxTrain/MaxValid before decoding: a seeded, per-class proportional sample of each split.</summary>
    private static List<SourceImage> Cap(List<SourceImage> images, DatasetOptions options)
    {
        if (options.MaxTrain is null && options.MaxValid is null)
        {
            return images;
        }

        var random = new Random(options.Seed);
        var result = new List<SourceImage>();
        foreach (var split in new DatasetSplit?[] { DatasetSplit.Train, DatasetSplit.Valid, null })
        {
            var members = images.Where(i => i.Split == split).ToArray();
            int? cap = split switch
            {
                DatasetSplit.Train => options.MaxTrain,
                DatasetSplit.Valid => options.MaxValid,
                _ => options.MaxTrain is { } t ? t + (options.MaxValid ?? (int)(t * options.ValidFraction / (1 - options.ValidFraction))) : null,
            };
            if (cap is null || members.Length <= cap)
            {
                result.AddRange(members);
                continue;
            }

            random.Shuffle(members);
            var share = (double)cap.Value / members.Length;
            foreach (var group in members.GroupBy(m => m.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                result.AddRange(group.Take(Math.Max(1, (int)Math.Round(group.Count() * share))));
            }
        }

        return result.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
    }
}
