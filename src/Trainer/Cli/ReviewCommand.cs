using System.CommandLine;
using System.Globalization;
using Mic.Trainer.Feedback;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary><c>review</c>: what users sent back (corrections, "none of these", uncertain uploads), as a table and an HTML page of thumbnails.</summary>
internal static class ReviewCommand
{
    public static void AddTo(RootCommand root, IAnsiConsole console, CancellationToken stop)
    {
        var store = new StoreOptions();
        var output = new Option<FileInfo>("--output", "-o")
        {
            Description = "The HTML page to write, with a thumbnail per image",
            DefaultValueFactory = _ => new FileInfo("feedback-review.html"),
        };
        var review = new Command("review", "List the feedback waiting under feedback/ in a store and write an HTML page with thumbnails; nothing is moved (see accept)");
        store.AddTo(review);
        review.Options.Add(output);
        review.SetAction(async (parse, _) =>
        {
            using var opened = store.Open(parse);
            var items = await FeedbackInbox.ListAsync(opened.Store, stop);
            var table = new Table().AddColumns("key", "label", "model said", "source", "received (UTC)");
            foreach (var item in items)
            {
                table.AddRow(Markup.Escape(item.Key.Key), Markup.Escape(item.Key.Label),
                    Markup.Escape(item.PredictedLabel is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{item.PredictedLabel} ({item.Probability * 100:F0}%)")),
                    Markup.Escape(item.Source ?? "-"), item.ReceivedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-");
            }

            console.Write(table);
            var page = parse.GetValue(output)!;
            await FeedbackReviewPage.WriteAsync(opened.Store, items, page.FullName, stop);
            console.MarkupLine($"{items.Count} image(s) in {Markup.Escape(opened.Store.Location)}; page: {Markup.Escape(page.FullName)}");
            return 0;
        });
        root.Subcommands.Add(review);
    }
}
