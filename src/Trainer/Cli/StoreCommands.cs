using System.CommandLine;
using System.Globalization;
using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Trainer.Packaging;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary><c>publish</c>, <c>list</c> and <c>rollback</c>: what goes live in a model store.</summary>
internal static class StoreCommands
{
    public const int Refused = 3;

    public static void AddTo(RootCommand root, IAnsiConsole console, CancellationToken stop)
    {
        var store = new StoreOptions();
        var bundle = new Argument<DirectoryInfo>("bundle") { Description = "A bundle folder (model.onnx + manifest.json), e.g. <train output>/int8" };
        var minAccuracy = new Option<double?>("--min-accuracy") { Description = "Refuse to publish below this accuracy (0..1), from the manifest's metrics" }
            .Within(0, 1, minIncluded: true);
        var maxDrop = new Option<double>("--max-accuracy-drop")
        {
            Description = "Refuse an int8 bundle whose accuracy is more than this many points below its fp32 accuracy",
            DefaultValueFactory = _ => new PackagingOptions().MaxAccuracyDropPoints,
        }.Within(0, 100, minIncluded: true);
        var publish = new Command("publish", "Verify a bundle, apply the evaluation gate, upload it and make it live (models/latest.json is written last)");
        publish.Arguments.Add(bundle);
        store.AddTo(publish);
        publish.Options.Add(minAccuracy);
        publish.Options.Add(maxDrop);
        publish.SetAction(async (parse, _) =>
        {
            using var opened = store.Open(parse);
            return await PublishAsync(console, opened.Store, parse.GetValue(bundle)!.FullName, parse.GetValue(maxDrop), parse.GetValue(minAccuracy), stop);
        });

        var list = new Command("list", "List the versions in a model store with accuracy and date; * marks the live one");
        store.AddTo(list);
        list.SetAction(async (parse, _) =>
        {
            using var opened = store.Open(parse);
            var models = await ModelCatalog.ListAsync(opened.Store, stop);
            var table = new Table().AddColumns("", "version", "created (UTC)", "accuracy", "precision");
            foreach (var m in models)
            {
                table.AddRow(m.IsLatest ? "*" : "", Markup.Escape(m.Version), m.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    m.Accuracy?.ToString("P2", CultureInfo.InvariantCulture) ?? "-", m.Precision);
            }

            console.Write(table);
            console.MarkupLine($"{models.Count} version(s) in {Markup.Escape(opened.Store.Location)}");
            return 0;
        });

        var version = new Argument<string>("version") { Description = "A version that `list` shows" };
        var rollback = new Command("rollback", "Make an earlier published version live again (its stored bundle is verified first)");
        rollback.Arguments.Add(version);
        store.AddTo(rollback);
        rollback.SetAction(async (parse, _) =>
        {
            using var opened = store.Open(parse);
            try
            {
                await ModelPublisher.RollbackAsync(opened.Store, parse.GetValue(version)!, stop);
            }
            catch (ModelBundleException e)
            {
                console.MarkupLine($"[red]rollback refused:[/] {Markup.Escape(e.Message)}");
                return Refused;
            }

            console.MarkupLine($"live: [bold]{Markup.Escape(parse.GetValue(version)!)}[/] in {Markup.Escape(opened.Store.Location)}");
            return 0;
        });

        root.Subcommands.Add(publish);
        root.Subcommands.Add(list);
        root.Subcommands.Add(rollback);
    }

    /// <summary>Loads and verifies the bundle, applies the gate to its recorded metrics, and publishes it.</summary>
    public static async Task<int> PublishAsync(IAnsiConsole console, IModelStore store, string directory, double maxDropPoints,
        double? minAccuracy, CancellationToken stop)
    {
        ModelBundle bundle;
        try
        {
            bundle = ModelBundle.Load(directory);
        }
        catch (ModelBundleException e)
        {
            console.MarkupLine($"[red]not published:[/] {Markup.Escape(e.Message)}");
            return Refused;
        }

        var metrics = bundle.Manifest.Metrics;
        if (metrics?.Accuracy is not { } accuracy)
        {
            if (minAccuracy is not null)
            {
                console.MarkupLine($"[red]not published:[/] {Markup.Escape(directory)} records no accuracy to check --min-accuracy against");
                return Refused;
            }
        }
        else
        {
            var gate = GateDecision.Check(accuracy, metrics.AccuracyFp32, maxDropPoints, minAccuracy);
            if (!gate.Passed)
            {
                console.MarkupLine($"[red]not published:[/] {Markup.Escape(gate.Reason)}");
                return Refused;
            }

            console.MarkupLine($"gate passed: {Markup.Escape(gate.Reason)}");
        }

        await ModelPublisher.PublishAsync(store, bundle, stop);
        console.MarkupLine($"published [bold]{Markup.Escape(bundle.Manifest.Version)}[/] ({bundle.Manifest.Model.Precision}) to {Markup.Escape(store.Location)}; it is live");
        return 0;
    }
}
