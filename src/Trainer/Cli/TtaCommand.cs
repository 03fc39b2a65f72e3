using System.CommandLine;
using System.Globalization;
using Mic.Trainer.Data;
using Mic.Trainer.Pipeline;
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
            var directory = parse.GetValue(bundle)!.FullName;
            var images = TrainerCommands.Source(parse.GetValue(shared.Data)!, parse.GetValue(shared.S3ServiceUrl));
            var data = new DatasetOptions
            {
                Input = null!, // the bundle's, set when it has been opened
                ValidFraction = parse.GetValue(shared.ValidPct),
                Seed = parse.GetValue(shared.Seed),
                Exclude = shared.ReadExclude(parse),
                MaxTrain = parse.GetValue(shared.MaxTrain),
                MaxValid = parse.GetValue(shared.MaxValid),
            };
            var values = packaging.Read(parse);
            var pipeline = new TrainingPipeline(PipelineSteps.Tta(directory, images, data, values.Quantize));
            var observer = new ConsoleTrainingObserver(console);
            using var run = new PipelineRun(values.Request(parse.GetValue(output)!, parse.GetValue(version)), observer);
            console.MarkupLine($"[bold]mic-train tta[/] {Markup.Escape(directory)} on {Markup.Escape(images.Description)}");
            PipelineOutcome outcome;
            try
            {
                outcome = await observer.RunAsync(() => pipeline.RunAsync(run, stop));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && run.Fp32?.Written is null)
            {
                console.MarkupLine("[yellow]stopped: nothing written[/]");
                return PipelineConsole.Stopped;
            }

            var dataset = run.Dataset!;
            TrainerCommands.ReportSkipped(console, dataset);
            if (run.StartFrom!.Manifest.Training?.DatasetHash is { } trainedOn && trainedOn != dataset.Hash)
            {
                console.MarkupLine("[yellow]note:[/] this is not the data the bundle was trained on (dataset hash differs); the figures below are for this data");
            }

            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"validation accuracy (Mic.Core classifier, {dataset.Valid.Count:N0} images): [bold]{run.Fp32!.Evaluation!.Accuracy:P2}[/] with flip TTA, {run.StartFromEvaluation!.Accuracy:P2} without"));
            console.MarkupLine($"bundle: {Markup.Escape(run.Fp32.Written!.Directory)}");
            return PipelineConsole.Finish(console, run, outcome);
        });
        root.Subcommands.Add(tta);
    }
}
