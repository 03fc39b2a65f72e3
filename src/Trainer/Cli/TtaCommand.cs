using System.CommandLine;
using System.Globalization;
using Mic.Trainer.Pipeline;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary>
/// <c>tta</c>: add flip test-time augmentation to a bundle <c>train</c> already wrote (as <c>train --tta flip</c> would
/// have): the new model classifies each image and its mirror and averages the probabilities (fast.ai's
/// <c>learn.tta</c> without random crops; twice the inference work). It is evaluated beside the original on the same
/// data, then quantized, gated and published as <c>train</c> does.
/// </summary>
internal static class TtaCommand
{
    public static void AddTo(RootCommand root, IAnsiConsole console, CancellationToken stop)
    {
        var options = new TtaCommandOptions();
        var tta = new Command("tta", "Build flip test-time augmentation into a trained bundle, evaluate, quantize, gate, publish");
        options.AddTo(tta);
        // Unreadable bundles and data that does not fit it are reported by CommandLine's error boundary (exit 2).
        tta.SetAction(async (parse, _) =>
        {
            var directory = parse.GetValue(options.Bundle)!.FullName;
            var images = options.Source(parse);
            var data = options.Data(parse);
            var values = options.Packaging.Read(parse);
            var pipeline = new TrainingPipeline(PipelineSteps.Tta(directory, images, data, values.Quantize));
            var observer = new ConsoleTrainingObserver(console);
            using var run = new PipelineRun(values.Request(parse.GetValue(options.Output)!, parse.GetValue(options.Version)), observer);
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
