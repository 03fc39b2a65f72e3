using System.CommandLine;
using System.Globalization;
using Mic.Trainer.Data;
using Mic.Trainer.Export;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary>
/// <c>tta</c>: add flip test-time augmentation to a bundle <c>train</c> already wrote (as <c>train --tta flip</c> would
/// have), evaluate it beside the original on the same data, then quantize, gate and publish as <c>train</c> does.
/// </summary>
internal static class TtaCommand
{
    public static void AddTo(RootCommand root, IAnsiConsole console, CancellationToken stop)
    {
        var shared = new TrainerOptions();
        var bundle = new Argument<DirectoryInfo>("bundle") { Description = "The fp32 bundle folder `train` wrote (not its int8 folder)" };
        var version = new Option<string?>("--model-version") { Description = "Version for the new manifest (default: the bundle's version + '-tta-flip')" };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the new bundle (not the bundle's own)", Required = true };
        var packaging = new PackagingCliOptions();
        var tta = new Command("tta",
            "Build flip test-time augmentation into a trained bundle: the new model classifies each image and its mirror image and averages the probabilities (fast.ai's learn.tta without random crops; twice the inference work). Evaluates old and new on the data's validation split, then quantizes, gates and publishes like train.");
        tta.Arguments.Add(bundle);
        foreach (var option in new Option[] { shared.Data, shared.ValidPct, shared.Seed, shared.Exclude, shared.MaxTrain, shared.MaxValid, shared.S3ServiceUrl, version, output })
        {
            tta.Options.Add(option);
        }

        packaging.AddTo(tta);
        // Unreadable bundles and data that does not fit it are reported by CommandLine's error boundary (exit 2).
        tta.SetAction(async (parse, _) =>
        {
            // Checked before any data is read: an int8 or already wrapped bundle, or --output = the bundle, costs nothing.
            var source = TestTimeFlip.OpenBundle(parse.GetValue(bundle)!.FullName, parse.GetValue(output)!);
            var images = TrainerCommands.Source(parse.GetValue(shared.Data)!, parse.GetValue(shared.S3ServiceUrl));
            var observer = new ConsoleTrainingObserver(console);
            console.MarkupLine($"[bold]mic-train tta[/] {Markup.Escape(source.Directory)} ({Markup.Escape(source.Manifest.Version)}) on {Markup.Escape(images.Description)}");
            Dataset dataset;
            try
            {
                dataset = await observer.RunAsync(() => DatasetLoader.LoadAsync(images, new DatasetOptions
                {
                    Input = source.Manifest.Input,
                    ValidFraction = parse.GetValue(shared.ValidPct),
                    Seed = parse.GetValue(shared.Seed),
                    Exclude = shared.ReadExclude(parse),
                    MaxTrain = parse.GetValue(shared.MaxTrain),
                    MaxValid = parse.GetValue(shared.MaxValid),
                }, observer, stop));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                console.MarkupLine("[yellow]stopped: nothing written[/]");
                return 130;
            }

            TrainerCommands.ReportSkipped(console, dataset);
            if (dataset.Valid.Count == 0)
            {
                console.MarkupLine($"[red]error:[/] {Markup.Escape(dataset.Description)} has no validation images to evaluate on");
                return CommandLine.InputError;
            }

            if (source.Manifest.Training?.DatasetHash is { } trainedOn && trainedOn != dataset.Hash)
            {
                console.MarkupLine("[yellow]note:[/] this is not the data the bundle was trained on (dataset hash differs); the figures below are for this data");
            }

            var (written, before, after) = TestTimeFlip.ApplyToBundle(source, dataset.Labels, dataset.Valid, parse.GetValue(output)!,
                parse.GetValue(version) ?? source.Manifest.Version + "-tta-" + TestTimeFlip.Name, CancellationToken.None);
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"validation accuracy (Mic.Core classifier, {dataset.Valid.Count:N0} images): [bold]{after.Accuracy:P2}[/] with flip TTA, {before.Accuracy:P2} without"));
            console.MarkupLine($"bundle: {Markup.Escape(written.Directory)}");
            return await PackagingStep.RunAsync(console, written, after, dataset, packaging.Read(parse), stop);
        });
        root.Subcommands.Add(tta);
    }
}
