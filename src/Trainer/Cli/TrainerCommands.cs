using System.CommandLine;
using System.Globalization;
using Mic.Core.Store;
using Mic.Trainer.Data;
using Mic.Trainer.Export;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Reporting;
using Mic.Trainer.Training;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary>The <c>mic-train</c> command line: <c>train</c> and <c>lr-find</c>.</summary>
internal static class TrainerCommands
{
    public static RootCommand Build(IAnsiConsole console, CancellationToken stop)
    {
        var root = new RootCommand(
            "MIC trainer: fast.ai-style fine-tuning of a pretrained ONNX backbone in C#. Point it at a folder of labelled photos, " +
            "get a model bundle (fp32 ONNX obeying the MIC model contract, manifest, labels) and an HTML report with the confusion " +
            "matrix, top losses and likely mislabelled or duplicate images to feed back with --exclude.");

        var shared = new TrainerOptions();
        var epochs = new Option<int>("--epochs", "-e") { Description = "Epochs after unfreezing (fast.ai fine_tune's epochs)", DefaultValueFactory = _ => 4 }
            .AtLeast(0);
        var freeze = new Option<int>("--freeze-epochs") { Description = "Head-only epochs with the backbone frozen, first", DefaultValueFactory = _ => 1 }
            .AtLeast(0);
        var lr = new Option<string>("--lr")
        {
            Description = "Base learning rate, or 'auto' to take the lr finder's valley suggestion",
            DefaultValueFactory = _ => "2e-3",
        }.LearningRate();
        var wd = new Option<double>("--wd") { Description = "AdamW weight decay (not applied to BatchNorm or biases)", DefaultValueFactory = _ => 0.01 }
            .Within(0, 1, minIncluded: true);
        var lrMult = new Option<double>("--lr-mult")
        {
            Description = "After unfreezing, the earliest layers train at base/lr-mult, rising evenly to base at the head (fast.ai fine_tune's lr_mult); smaller values adapt the body more, for data far from ImageNet",
            DefaultValueFactory = _ => new TrainingOptions().LrMult,
        }.Within(1, 1e6, minIncluded: true);
        var version = new Option<string?>("--model-version") { Description = "Version written in the manifest (default: UTC timestamp)" };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue the run whose checkpoint is in --output (one is written after every epoch; Ctrl+C, SIGTERM or a crash leave it behind); the other options must be the same",
        };
        var initFrom = new Option<string?>("--init-from")
        {
            Description = "Start from a trained fp32 bundle (a folder this command wrote) instead of the pretrained backbone and a fresh head, to train another cycle, usually at a lower --lr with --freeze-epochs 0 (fast.ai: learn.load, then fit again); same backbone and labels, any --image-size",
            HelpName = "BUNDLE",
        };
        var tta = new Option<string>("--tta")
        {
            Description = "Test-time augmentation built into the exported model: none, or flip (each image is classified with its mirror image and the two probability vectors averaged; twice the inference work per image). Training is the same either way; `mic-train tta` adds it to a bundle already trained",
            DefaultValueFactory = _ => "none",
        }.AcceptOnlyFromAmong("none", TestTimeFlip.Name);
        var packaging = new PackagingCliOptions();
        var train = new Command("train", "Fine-tune (fast.ai fine_tune): frozen head epochs, then unfrozen epochs with discriminative learning rates; writes the bundle and report. Ctrl+C stops after the current batch and keeps the best epoch.");
        shared.AddTo(train);
        train.Options.Add(epochs);
        train.Options.Add(freeze);
        train.Options.Add(lr);
        train.Options.Add(wd);
        train.Options.Add(lrMult);
        train.Options.Add(version);
        train.Options.Add(resume);
        train.Options.Add(initFrom);
        train.Options.Add(tta);
        packaging.AddTo(train);
        train.SetAction(async (parse, _) =>
        {
            if (parse.GetValue(epochs) + parse.GetValue(freeze) == 0)
            {
                console.MarkupLine("[red]error:[/] --epochs and --freeze-epochs are both 0: nothing to train");
                return CommandLine.InputError;
            }

            var request = Request(parse, shared) with
            {
                Version = parse.GetValue(version),
                Resume = parse.GetValue(resume),
                InitFrom = parse.GetValue(initFrom),
                FlipTta = parse.GetValue(tta) == TestTimeFlip.Name,
            };
            var rate = parse.GetValue(lr)!;
            request = request with
            {
                Training = request.Training with
                {
                    Epochs = parse.GetValue(epochs),
                    FreezeEpochs = parse.GetValue(freeze),
                    WeightDecay = parse.GetValue(wd),
                    LrMult = parse.GetValue(lrMult),
                    BaseLearningRate = OptionRules.TryParseLearningRate(rate, out var parsed) ? parsed : null,
                },
            };
            return await TrainAsync(console, request, packaging.Read(parse), stop);
        });

        var lrFind = new Command("lr-find", "Sweep the learning rate exponentially (1e-7 to 10) on the frozen model, plot loss against it and suggest a base rate (fast.ai's valley); writes lr_find.png and lr_find.csv to --output.");
        shared.AddTo(lrFind);
        lrFind.SetAction(async (parse, _) => await LrFindAsync(console, Request(parse, shared), stop));

        root.Subcommands.Add(train);
        root.Subcommands.Add(lrFind);
        StoreCommands.AddTo(root, console, stop);
        BundleCommand.AddTo(root, console, stop);
        TtaCommand.AddTo(root, console, stop);
        RetrainCommand.AddTo(root, stop);
        SubmitCommand.AddTo(root, stop);
        JobsCommand.AddTo(root, stop);
        return root;
    }

    private static TrainRequest Request(ParseResult parse, TrainerOptions o)
    {
        return new TrainRequest
        {
            Source = null!,
            OutputDirectory = parse.GetValue(o.Output)!,
            Backbone = parse.GetValue(o.Backbone)!,
            Normalization = parse.GetValue(o.Normalization),
            BackboneOutput = parse.GetValue(o.BackboneOutput),
            ImageSize = parse.GetValue(o.ImageSize),
            ValidFraction = parse.GetValue(o.ValidPct),
            Exclude = o.ReadExclude(parse),
            MaxTrain = parse.GetValue(o.MaxTrain),
            MaxValid = parse.GetValue(o.MaxValid),
            Device = parse.GetValue(o.Device)!,
            Threads = parse.GetValue(o.Threads),
            Training = new TrainingOptions
            {
                BatchSize = parse.GetValue(o.BatchSize),
                Seed = parse.GetValue(o.Seed),
                LabelSmoothing = parse.GetValue(o.LabelSmoothing),
                Augmentation = parse.GetValue(o.NoAugment)
                    ? Augmentation.None
                    : Augmentation.Default with { MinScale = parse.GetValue(o.MinScale) },
            },
        } with
        { Source = Source(parse.GetValue(o.Data)!, parse.GetValue(o.S3ServiceUrl)) };
    }

    internal static IImageSource Source(string data, string? s3ServiceUrl)
    {
        if (data == FashionMnistSource.Name || data.StartsWith(FashionMnistSource.Name + ":", StringComparison.Ordinal))
        {
            var directory = data.Length > FashionMnistSource.Name.Length ? data[(FashionMnistSource.Name.Length + 1)..] : FashionMnistSource.DefaultDirectory;
            return new FashionMnistSource(directory);
        }

        if (S3ImageSource.IsS3Uri(data))
        {
            // The client lives as long as this one-shot process.
            var client = ModelStoreLocation.CreateS3Client(new S3ConnectionOptions
            {
                ServiceUrl = s3ServiceUrl,
                ForcePathStyle = s3ServiceUrl is not null,
                AccessKey = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"),
                SecretKey = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"),
            });
            return new S3ImageSource(client, data);
        }

        return new FolderImageSource(data);
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
