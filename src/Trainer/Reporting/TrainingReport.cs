using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Mic.Trainer.Data;
using Mic.Trainer.Export;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Trainer.Reporting;

/// <summary>
/// The training report (<c>report.html</c>, self-contained: plots and images are embedded) and the review list
/// (<c>suspects.txt</c>: one id per line with the reason after a tab, ready for <c>--exclude</c> once reviewed).
/// This makes fast.ai's clean-the-data loop first-class: look at the top losses, the confidently wrong and the
/// duplicate images, keep the lines you agree with, and train again with <c>--exclude suspects.txt</c>.
/// </summary>
public static class TrainingReport
{
    public const string FileName = Mic.Core.Models.ModelBundleWriter.ReportFileName;
    public const string SuspectsFileName = "suspects.txt";
    public const double ConfidentlyWrong = 0.8;
    private const int TopLossCount = 24;

    /// <summary>The report's HTML (self-contained) and the images to review, from what a run produced.</summary>
    public static (string Html, IReadOnlyList<Suspect> Suspects) Build(ReportInput input)
    {
        var (title, dataset, evaluation, manifest) = (input.Title, input.Dataset, input.Evaluation, input.Manifest);
        var suspects = FindSuspects(dataset, evaluation);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}")
            .Append(".grid{display:flex;flex-wrap:wrap;gap:12px}.grid figure{margin:0;width:150px;font-size:12px}")
            .Append(".grid img{width:150px;height:150px;image-rendering:pixelated;border:1px solid #ccc}code{background:#f4f4f4;padding:1px 4px}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(E(title)).Append("</h1>");
        html.Append("<table>");
        Row(html, "dataset", dataset.Description);
        Row(html, "images", $"{dataset.Train.Count:N0} train, {dataset.Valid.Count:N0} validation, {dataset.Skipped.Count:N0} skipped, {dataset.Labels.Count} classes");
        Row(html, "dataset hash", dataset.Hash);
        Row(html, "backbone", manifest.Training?.Backbone ?? "");
        Row(html, "schedule", manifest.Training?.Schedule ?? "");
        Row(html, "device", manifest.Training?.Device ?? "");
        Row(html, "input", $"{manifest.Input.Width}x{manifest.Input.Height}, shorter side then centre crop");
        Row(html, "time", $"{input.Seconds:F0} s");
        Row(html, "accuracy", $"{evaluation.Accuracy:P2} (exported fp32 model through Mic.Core's classifier)");
        html.Append("</table>");

        html.Append("<h2>Epochs</h2><table><tr><th>epoch</th><th class=l>phase</th><th>train_loss</th><th>valid_loss</th><th>error_rate</th><th>img/s</th><th>time</th></tr>");
        foreach (var e in input.History)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.Epoch + 1}</td><td class=l>{e.Phase}</td><td>{e.TrainLoss:F4}</td><td>{e.ValidLoss:F4}</td><td>{e.ErrorRate:F4}</td><td>{e.ImagesPerSecond:F1}</td><td>{e.Seconds:F0} s</td></tr>");
        }

        html.Append("</table>");
        Image(html, Plots.Losses(input.BatchLosses, input.History, 900, 400), "loss curves");
        if (input.LrFinder is { } finder)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Learning rate finder</h2><p>Valley suggestion: <b>{finder.Valley:G3}</b> (used as the base learning rate).</p>");
            Image(html, Plots.LrFinder(finder, 900, 400), "lr finder");
        }

        ConfusionMatrix(html, evaluation);
        html.Append("<h2>Per class</h2><table><tr><th class=l>label</th><th>precision</th><th>recall</th><th>support</th></tr>");
        foreach (var c in evaluation.PerClass)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=l>{E(c.Label)}</td><td>{c.Precision:F3}</td><td>{c.Recall:F3}</td><td>{c.Support}</td></tr>");
        }

        html.Append("</table>");
        Image(html, Plots.PrecisionRecall(evaluation.PerClass, 900, 400), "precision and recall");

        html.Append("<h2>Most confused</h2><table><tr><th class=l>actual</th><th class=l>predicted</th><th>count</th></tr>");
        foreach (var (actual, predicted, count) in evaluation.MostConfused().Take(15))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=l>{E(actual)}</td><td class=l>{E(predicted)}</td><td>{count}</td></tr>");
        }

        html.Append("</table>");
        html.Append("<h2>Top losses</h2><p>prediction / actual / loss / probability of the actual class</p><div class=grid>");
        foreach (var i in evaluation.TopLosses(TopLossCount))
        {
            html.Append("<figure><img alt=\"").Append(E(dataset.Valid.Ids[i])).Append("\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(Png(dataset.Valid, i))).Append("\"><figcaption>")
                .Append(E(evaluation.Labels[evaluation.Predicted[i]])).Append(" / ").Append(E(evaluation.Labels[evaluation.Targets[i]]))
                .Append(CultureInfo.InvariantCulture, $" / {evaluation.Loss(i):F2} / {evaluation.Probability(i, evaluation.Targets[i]):F2}<br><code>")
                .Append(E(dataset.Valid.Ids[i])).Append("</code></figcaption></figure>");
        }

        html.Append("</div>");
        html.Append(CultureInfo.InvariantCulture, $"<h2>Likely mislabelled or duplicate images ({suspects.Count})</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Validation images the model gets wrong with at least {ConfidentlyWrong:P0} confidence, and images whose bytes or resized pixels are identical. The same list is in <code>{SuspectsFileName}</code>: keep the lines you agree with and train again with <code>--exclude {SuspectsFileName}</code>.</p>");
        html.Append("<table><tr><th class=l>id</th><th class=l>why</th></tr>");
        foreach (var s in suspects.Take(500))
        {
            html.Append("<tr><td class=l><code>").Append(E(s.Id)).Append("</code></td><td class=l>").Append(E(s.Reason)).Append("</td></tr>");
        }

        html.Append("</table>");
        if (dataset.Skipped.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Skipped files ({dataset.Skipped.Count})</h2><table><tr><th class=l>id</th><th class=l>why</th></tr>");
            foreach (var s in dataset.Skipped)
            {
                html.Append("<tr><td class=l><code>").Append(E(s.Id)).Append("</code></td><td class=l>").Append(E(s.Reason)).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("</body></html>");
        return (html.ToString(), suspects);
    }

    /// <summary>Confidently wrong validation images (worst first), then byte- or pixel-identical groups.</summary>
    /// <summary>Writes the review list, <see cref="SuspectsFileName"/>, into <paramref name="directory"/>.</summary>
    public static void WriteSuspects(string directory, IReadOnlyList<Suspect> suspects)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, SuspectsFileName),
            [$"# {suspects.Count} image(s) to review. Delete the lines you want to keep, then train again with --exclude {SuspectsFileName}", .. suspects.Select(s => $"{s.Id}\t{s.Reason}")]);
    }

    public static IReadOnlyList<Suspect> FindSuspects(Dataset dataset, Evaluation evaluation)
    {
        var suspects = new List<Suspect>();
        foreach (var i in evaluation.TopLosses(dataset.Valid.Count))
        {
            var predicted = evaluation.Predicted[i];
            var confidence = evaluation.Probability(i, predicted);
            if (predicted != evaluation.Targets[i] && confidence >= ConfidentlyWrong)
            {
                suspects.Add(new Suspect(dataset.Valid.Ids[i], string.Create(CultureInfo.InvariantCulture,
                    $"labelled {evaluation.Labels[evaluation.Targets[i]]}, model says {evaluation.Labels[predicted]} ({confidence:P0})")));
            }
        }

        var seen = new HashSet<string>(suspects.Select(s => s.Id), StringComparer.Ordinal);
        var labelOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in new[] { dataset.Train, dataset.Valid })
        {
            for (var i = 0; i < set.Count; i++)
            {
                labelOf[set.Ids[i]] = set.Labels[set.Targets[i]];
            }
        }

        var groups = dataset.Duplicates.Select(g => (Group: g, Kind: "identical file"))
            .Concat(PixelDuplicates(dataset).Select(g => (Group: g, Kind: "identical pixels after resizing")));
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (group, kind) in groups)
        {
            var key = string.Join('\n', group.Order(StringComparer.Ordinal));
            if (!reported.Add(key))
            {
                continue;
            }

            var labels = group.Select(id => labelOf.GetValueOrDefault(id, "?")).Distinct().ToArray();
            // Same label: keep the first copy. Conflicting labels: every copy needs a look.
            var listed = labels.Length > 1 ? group : group.Skip(1);
            foreach (var id in listed.Where(seen.Add))
            {
                suspects.Add(new Suspect(id, labels.Length > 1
                    ? $"{kind} to {string.Join(", ", group.Where(g => g != id))} but labelled {labelOf.GetValueOrDefault(id, "?")} vs {string.Join("/", labels)}"
                    : $"{kind} to {group[0]} (same label)"));
            }
        }

        return suspects;
    }

    private static IEnumerable<IReadOnlyList<string>> PixelDuplicates(Dataset dataset) =>
        new[] { dataset.Train, dataset.Valid }
            .SelectMany(set => Enumerable.Range(0, set.Count).Select(i => (Id: set.Ids[i], Hash: Convert.ToHexString(SHA256.HashData(set.Sample(i).Span)))))
            .GroupBy(x => x.Hash, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<string>)g.Select(x => x.Id).Order(StringComparer.Ordinal).ToArray());

    private static byte[] Png(ImageSet set, int index)
    {
        using var image = SixLabors.ImageSharp.Image.LoadPixelData<Rgb24>(set.Sample(index).Span, set.Input.Width, set.Input.Height);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    private static void ConfusionMatrix(StringBuilder html, Evaluation evaluation)
    {
        var max = Math.Max(1, evaluation.Confusion.SelectMany(r => r).Max());
        html.Append("<h2>Confusion matrix</h2><p>rows: actual, columns: predicted</p><table><tr><th></th>");
        foreach (var label in evaluation.Labels)
        {
            html.Append("<th>").Append(E(label)).Append("</th>");
        }

        html.Append("</tr>");
        for (var a = 0; a < evaluation.Labels.Count; a++)
        {
            html.Append("<tr><th class=l>").Append(E(evaluation.Labels[a])).Append("</th>");
            for (var p = 0; p < evaluation.Labels.Count; p++)
            {
                var value = evaluation.Confusion[a][p];
                var alpha = (double)value / max;
                html.Append(CultureInfo.InvariantCulture, $"<td style=\"background:rgba(30,90,200,{alpha:F2});color:{(alpha > 0.5 ? "#fff" : "#222")}\">{value}</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static void Image(StringBuilder html, byte[] png, string alt) =>
        html.Append("<p><img alt=\"").Append(alt).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\"></p>");

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th class=l>").Append(E(name)).Append("</th><td class=l>").Append(E(value)).Append("</td></tr>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
