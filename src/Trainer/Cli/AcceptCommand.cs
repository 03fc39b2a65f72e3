using System.CommandLine;
using Mic.Core.Store;
using Mic.Trainer.Feedback;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary>
/// <c>accept</c>: moves reviewed feedback into <c>datasets/&lt;name&gt;/&lt;label&gt;/</c> of the same store, where the next
/// (scheduled) training run finds it. Only what a person accepts reaches training data.
/// </summary>
internal static class AcceptCommand
{
    public static void AddTo(RootCommand root, IAnsiConsole console, CancellationToken stop)
    {
        var store = new StoreOptions();
        var keys = new Argument<string[]>("keys") { Description = "Feedback image keys as `review` lists them (feedback/<label>/<sha256>.<ext>)", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Accept every labelled image under feedback/ (never _unlabelled or _uncertain)" };
        var dataset = new Option<string>("--dataset") { Description = "Dataset name: images go to datasets/<name>/<label>/ (the scheduled run's DatasetName)", Required = true };
        var label = new Option<string?>("--label") { Description = "Accept the given keys under this label instead of their own (how an _uncertain image gets one)" };
        var accept = new Command("accept", "Move reviewed feedback images into datasets/<name>/<label>/ of the store; their feedback copies and sidecars are removed");
        accept.Arguments.Add(keys);
        store.AddTo(accept);
        accept.Options.Add(all);
        accept.Options.Add(dataset);
        accept.Options.Add(label);
        accept.SetAction(async (parse, _) =>
        {
            var chosen = parse.GetValue(keys) ?? [];
            if (parse.GetValue(all) == chosen.Length > 0)
            {
                throw new ArgumentException("accept: give the keys to accept, or --all (not both)");
            }

            if (parse.GetValue(all) && parse.GetValue(label) is not null)
            {
                throw new ArgumentException("accept: --label applies to the keys given, not to --all");
            }

            using var opened = store.Open(parse);
            var items = await FeedbackInbox.ListAsync(opened.Store, stop);
            var selected = parse.GetValue(all) ? [.. items.Where(i => i.HasTrainingLabel)] : Select(items, chosen);
            var moved = await FeedbackAcceptance.AcceptAsync(opened.Store, parse.GetValue(dataset)!, selected, parse.GetValue(label), stop);
            foreach (var key in moved)
            {
                console.MarkupLine($"accepted: {Markup.Escape(key)}");
            }

            console.MarkupLine($"{moved.Count} image(s) moved into {Markup.Escape(opened.Store.Location)}/{Markup.Escape(FeedbackLayout.DatasetPrefix(parse.GetValue(dataset)!))}");
            return 0;
        });
        root.Subcommands.Add(accept);
    }

    private static List<FeedbackItem> Select(IReadOnlyList<FeedbackItem> items, IEnumerable<string> keys)
    {
        var byKey = items.ToDictionary(i => i.Key.Key, StringComparer.Ordinal);
        return [.. keys.Distinct(StringComparer.Ordinal).Select(k => byKey.TryGetValue(k, out var item)
            ? item
            : throw new ArgumentException($"{k}: no such feedback image (run `mic-train review` for the keys)"))];
    }
}
