using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Trainer.Data;

/// <summary>
/// One labelled image a source can read. <see cref="Id"/> is stable across runs (a relative path or key) and is what
/// exclude lists name. <see cref="Split"/> is set when the source has an official split. <see cref="Decode"/> is for
/// sources whose bytes are raw pixels; null means encoded bytes, decoded by Mic.Core's <c>ImageDecoder</c>.
/// </summary>
public sealed record SourceImage(
    string Id,
    string Label,
    DatasetSplit? Split,
    Func<CancellationToken, Task<byte[]>> ReadAsync,
    Func<byte[], Image<Rgb24>>? Decode = null);
