using System.CommandLine;
using System.Globalization;
using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Trainer.Packaging;
using Mic.Trainer.Pipeline;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary><c>publish</c>, <c>list</c> and <c>rollback</c>: what goes live in a model store.</summary>
internal static class StoreCommands
{
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
            return await PublishAsync(console, store.Target(parse), parse.GetValue(bundle)!.FullName,
                new PackagingOptions { MaxAccuracyDropPoints = parse.GetValue(maxDrop), MinAccuracy = parse.GetValue(minAccuracy) }, stop);
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
                return PipelineConsole.Refused;
            }

            console.MarkupLine($"live: [bold]{Markup.Escape(parse.GetValue(version)!)}[/] in {Markup.Escape(opened.Store.Location)}");
            return 0;
        });

        root.Subcommands.Add(publish);
        root.Subcommands.Add(list);
        root.Subcommands.Add(rollback);
    }

    /// <summary>Loads and verifies the bundle, applies the gate to its recorded metrics, and publishes it.</summary>
    public static async Task<int> PublishAsync(IAnsiConsole console, PublishTarget store, string directory, PackagingOptions gate,
        CancellationToken stop)
    {
        var pipeline = new TrainingPipeline(PipelineSteps.Publish(directory));
        using var run = new PipelineRun(new PipelineRequest { OutputDirectory = directory, Packaging = gate, Publish = store });
        return PipelineConsole.Finish(console, run, await pipeline.RunAsync(run, stop));
    }
}
