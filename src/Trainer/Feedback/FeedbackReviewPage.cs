using System.Globalization;
using System.Net;
using System.Text;
using Mic.Core.Store;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace Mic.Trainer.Feedback;

/// <summary>
/// The HTML page <c>mic-train review</c> writes: one section per label folder, each image as a thumbnail with the
/// model's prediction, its source and the key to give <c>mic-train accept</c>. Self-contained (thumbnails inline), like
/// the training report's top losses.
/// </summary>
internal static class FeedbackReviewPage
{
    public const int ThumbnailPixels = 160;

    /// <summary>At most this many images get a thumbnail; the rest are listed by key.</summary>
    public const int MaxThumbnails = 1000;

    public static async Task WriteAsync(IModelStore store, IReadOnlyList<FeedbackItem> items, string path, CancellationToken cancellationToken)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=en><head><meta charset=utf-8><title>MIC feedback to review</title><style>")
            .Append("body{font:15px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}.grid{display:flex;flex-wrap:wrap;gap:1rem}")
            .Append("figure{margin:0;width:").Append(ThumbnailPixels + 20).Append("px}img{max-width:100%;border-radius:.4rem}")
            .Append("figcaption{font-size:.8rem}code{font-size:.7rem;word-break:break-all}</style></head><body>")
            .Append("<h1>Feedback to review</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>{items.Count} image(s) in <code>{E(store.Location)}/{FeedbackLayout.Prefix}</code>. ")
            .Append("Accept the ones you agree with: <code>mic-train accept --store … --dataset &lt;name&gt; &lt;key&gt;…</code> (or <code>--all</code>); ")
            .Append("unlabelled and uncertain images need <code>--label</code>.</p>");
        var shown = 0;
        foreach (var group in items.GroupBy(i => i.Key.Label))
        {
            html.Append("<h2>").Append(E(Title(group.Key))).Append(CultureInfo.InvariantCulture, $" ({group.Count()})</h2><div class=grid>");
            foreach (var item in group)
            {
                html.Append("<figure>");
                if (shown++ < MaxThumbnails && await ThumbnailAsync(store, item.Key.Key, cancellationToken).ConfigureAwait(false) is { } jpeg)
                {
                    html.Append("<img alt=\"").Append(E(item.Key.Key)).Append("\" src=\"data:image/jpeg;base64,").Append(Convert.ToBase64String(jpeg)).Append("\">");
                }

                html.Append("<figcaption>").Append(E(Caption(item))).Append("<br><code>").Append(E(item.Key.Key)).Append("</code></figcaption></figure>");
            }

            html.Append("</div>");
        }

        html.Append("</body></html>");
        await File.WriteAllTextAsync(path, html.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>"model said green (97%), v1, from an upload, 2026-12-03 10:00".</summary>
    public static string Caption(FeedbackItem item) => item.PredictedLabel is null
        ? "no prediction recorded"
        : string.Create(CultureInfo.InvariantCulture,
            $"model said {item.PredictedLabel} ({item.Probability * 100:F0}%), {item.ModelVersion}, {item.Source}, {item.ReceivedAt:yyyy-MM-dd HH:mm}");

    private static string Title(string label) => label switch
    {
        FeedbackLayout.Unlabelled => "None of these (never accepted)",
        FeedbackLayout.Uncertain => "Uncertain uploads (need --label)",
        _ => $"Labelled {label}",
    };

    private static async Task<byte[]?> ThumbnailAsync(IModelStore store, string key, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync(key, null, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        try
        {
            using var image = Image.Load(stored.Content);
            image.Mutate(x => x.AutoOrient().Resize(new ResizeOptions { Size = new Size(ThumbnailPixels, ThumbnailPixels), Mode = ResizeMode.Max }));
            using var output = new MemoryStream();
            await image.SaveAsJpegAsync(output, cancellationToken).ConfigureAwait(false);
            return output.ToArray();
        }
        catch (Exception e) when (e is ImageFormatException or UnknownImageFormatException or InvalidImageContentException)
        {
            return null; // listed without a picture
        }
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
