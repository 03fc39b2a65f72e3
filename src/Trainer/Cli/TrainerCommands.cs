using System.CommandLine;
using System.Globalization;
using Mic.Trainer.Data;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Reporting;
using Mic.Trainer.Training;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary>
/// The <c>mic-train</c> command line: <c>train</c> and <c>lr-find</c> here, and the other commands' own classes. Each
/// command parses its options type, builds the request, runs it (a pipeline for train, tta, bundle and publish) and
/// renders progress and results.
/// </summary>
internal static class TrainerCommands
{
    public static RootCommand Build(IAnsiConsole console, CancellationToken stop)
    {
        var root = new RootCommand("MIC trainer: fast.ai-style fine-tuning in C#; writes a model bundle and an HTML report");

        var options = new TrainCommandOptions();
        var train = new Command("train", "Fine-tune (fast.ai fine_tune), write the bundle and report, quantize, gate, publish");
        options.AddTo(train);
        train.SetAction(async (parse, _) =>
        {
            var request = options.Read(parse);
            if (request.Training.Epochs + request.Training.FreezeEpochs == 0)
            {
                console.MarkupLine("[red]error:[/] --epochs and --freeze-epochs are both 0: nothing to train");
                return CommandLine.InputError;
            }

            return await TrainAsync(console, request, options.Packaging.Read(parse), stop);
        });

        var shared = new TrainerOptions();
        var lrFind = new Command("lr-find", "Sweep the learning rate on the frozen model; writes lr_find.png and .csv, suggests a rate");
        shared.AddTo(lrFind);
        lrFind.SetAction(async (parse, _) => await LrFindAsync(console, shared.Read(parse), stop));

        root.Subcommands.Add(train);
        root.Subcommands.Add(lrFind);
        StoreCommands.AddTo(root, console, stop);
        BundleCommand.AddTo(root, console, stop);
        TtaCommand.AddTo(root, console, stop);
        ReviewCommand.AddTo(root, console, stop);
        AcceptCommand.AddTo(root, console, stop);
        RetrainCommand.AddTo(root, stop);
        SubmitCommand.AddTo(root, stop);
        JobsCommand.AddTo(root, stop);
        return root;
    }

    private static async Task<int> TrainAsync(IAnsiConsole console, TrainRequest request, PackagingCliOptions.Values packaging,
        CancellationToken stop)
    {
        var observer = new ConsoleTrainingObserver(console);
        console.MarkupLine($"[bold]mic-train[/] {Markup.Escape(request.Source.Description)} → {Markup.Escape(Path.GetFullPath(request.OutputDirectory))}");
        var pipeline = new TrainingPipeline(PipelineSteps.Train(request, packaging.Quantize));
        using var run = new PipelineRun(packaging.Request(request.OutputDirectory, request.Version), observer);
        PipelineOutcome outcome;
        try
        {
            outcome = await observer.RunAsync(() => pipeline.RunAsync(run, stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && run.Fit is null)
        {
            console.MarkupLine("[yellow]stopped before training started: nothing written[/]");
            return PipelineConsole.Stopped;
        }

        if (run.Fit?.LrFinder is { } finder)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"lr finder valley: [bold]{finder.Valley:G3}[/]"));
        }

        if (run.Dataset is { } dataset)
        {
            ReportSkipped(console, dataset);
        }

        if (run.Fp32 is { Written: { } bundle, Evaluation: { } evaluation })
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"validation accuracy (exported model, Mic.Core classifier): [bold]{evaluation.Accuracy:P2}[/] on {evaluation.Targets.Length:N0} images"));
            console.MarkupLine($"bundle: {Markup.Escape(bundle.Directory)} (report: {Markup.Escape(Path.Combine(bundle.Directory, TrainingReport.FileName))}, review list: {Markup.Escape(Path.Combine(request.OutputDirectory, TrainingReport.SuspectsFileName))})");
        }

        if (run.Fit is { Cancelled: true } && Directory.Exists(Checkpoint.PathIn(request.OutputDirectory)))
        {
            console.MarkupLine($"to continue from the last finished epoch: the same command with [bold]--resume[/] (checkpoint: {Markup.Escape(Checkpoint.PathIn(request.OutputDirectory))})");
        }

        return PipelineConsole.Finish(console, run, outcome);
    }

    private static async Task<int> LrFindAsync(IAnsiConsole console, TrainRequest request, CancellationToken stop)
    {
        var observer = new ConsoleTrainingObserver(console);
        LrFinderResult result;
        Dataset dataset;
        try
        {
            (result, dataset) = await observer.RunAsync(() => LearnerSetup.FindLearningRateAsync(request, observer, observer, stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]stopped[/]");
            return 130;
        }

        ReportSkipped(console, dataset);
        Directory.CreateDirectory(request.OutputDirectory);
        var plot = Path.Combine(request.OutputDirectory, "lr_find.png");
        File.WriteAllBytes(plot, Plots.LrFinder(result, 800, 500));
        File.WriteAllLines(Path.Combine(request.OutputDirectory, "lr_find.csv"),
            ["lr,smoothed_loss", .. result.LearningRates.Zip(result.Losses, (r, l) => string.Create(CultureInfo.InvariantCulture, $"{r:G6},{l:G6}"))]);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"suggested base learning rate (valley): [bold]{result.Valley:G3}[/]; plot: {Markup.Escape(plot)}"));
        return 0;
    }

    internal static void ReportSkipped(IAnsiConsole console, Dataset dataset)
    {
        console.MarkupLine($"{dataset.Train.Count:N0} training and {dataset.Valid.Count:N0} validation images, {dataset.Labels.Count} classes");
        if (dataset.Skipped.Count == 0)
        {
            return;
        }

        console.MarkupLine($"[yellow]skipped {dataset.Skipped.Count} file(s):[/]");
        foreach (var skipped in dataset.Skipped.Take(20))
        {
            console.MarkupLine($"  {Markup.Escape(skipped.Id)}: {Markup.Escape(skipped.Reason)}");
        }

        if (dataset.Skipped.Count > 20)
        {
            console.MarkupLine($"  … and {dataset.Skipped.Count - 20} more (all listed in the report)");
        }
    }
}
