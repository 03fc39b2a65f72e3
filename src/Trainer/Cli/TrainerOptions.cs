using System.CommandLine;
using Mic.Core.Store;
using Mic.Trainer.Data;
using Mic.Trainer.Model;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Training;

namespace Mic.Trainer.Cli;

/// <summary>
/// <c>lr-find</c>'s options, which <c>train</c> shares (<see cref="TrainCommandOptions"/>) and <c>tta</c> takes its data
/// options from; fast.ai's defaults.
/// </summary>
internal sealed class TrainerOptions
{
    public Option<string> Data { get; } = new("--data", "-d")
    {
        Description = "Labelled images: class folders, s3://bucket/prefix, fashion-mnist-train|-test[:DIR]",
        Required = true,
        HelpName = "PATH|s3://bucket/prefix|fashion-mnist",
    };

    public Option<string> Backbone { get; } = new("--backbone", "-b")
    {
        Description = "Pretrained ImageNet ONNX model: resnet18 (bundled), or a .onnx path or http(s) URL",
        DefaultValueFactory = _ => BackboneLoader.OfflineResNet18,
    };

    public Option<string?> Normalization { get; } = new("--normalization")
    {
        Description = "Backbone input normalization: imagenet, caffe-bgr, unit or rgb:mean=a,b,c:std=a,b,c",
    };

    public Option<string?> BackboneOutput { get; } = new("--backbone-output")
    {
        Description = "Name of the backbone's last feature map to attach the head to (default: found before its pooling)",
    };

    public Option<int> ImageSize { get; } = new Option<int>("--image-size", "-s")
    {
        Description = "Square input size in pixels (resized to cover, centre-cropped, as when serving)",
        DefaultValueFactory = _ => 224,
    }.AtLeast(32);

    public Option<int> BatchSize { get; } = new Option<int>("--batch-size", "--bs") { Description = "Images per batch (at least 2: BatchNorm needs two)", DefaultValueFactory = _ => 64 }
        .AtLeast(2);

    public Option<double> ValidPct { get; } = new Option<double>("--valid-pct")
    {
        Description = "Share of each class held out for validation (folder, S3 and fashion-mnist-train sources)",
        DefaultValueFactory = _ => 0.2,
    }.Within(0, 0.9);

    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed (split, augmentation, head init, shuffling)", DefaultValueFactory = _ => 42 };

    public Option<string> Device { get; } = new("--device")
    {
        Description = "auto (CUDA when available), cpu, cuda or cuda:N",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int?> Threads { get; } = new Option<int?>("--threads")
    {
        Description = "CPU threads (default: all cores); 1 makes a seeded CPU run bit-for-bit reproducible",
    }.AtLeast(1);

    public Option<FileInfo?> Exclude { get; } = new("--exclude")
    {
        Description = "File of image ids to leave out, one per line (e.g. the report's suspects.txt after review)",
    };

    public Option<int?> MaxTrain { get; } = new Option<int?>("--max-train") { Description = "Use at most N training images (per-class sample, for quick runs)" }
        .AtLeast(1);

    public Option<int?> MaxValid { get; } = new Option<int?>("--max-valid") { Description = "Use at most N validation images" }.AtLeast(1);

    public Option<bool> NoAugment { get; } = new("--no-augment") { Description = "Turn off data augmentation" };

    public Option<double> MinScale { get; } = new Option<double>("--min-scale")
    {
        Description = "Smallest image share a random training crop keeps (fast.ai min_scale); 1 = no cropping",
        DefaultValueFactory = _ => Augmentation.Default.MinScale,
    }.Within(0, 1);

    public Option<double> LabelSmoothing { get; } = new Option<double>("--label-smoothing")
    {
        Description = "Label smoothing ε (fast.ai's LabelSmoothingCrossEntropy, usually 0.1); 0 = plain cross-entropy",
        DefaultValueFactory = _ => 0,
    }.Within(0, 0.5, minIncluded: true);

    public Option<string?> S3ServiceUrl { get; } = new("--s3-service-url")
    {
        Description = "S3-compatible endpoint for --data (path-style); credentials from AWS_* variables",
    };

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Folder for the bundle (model.onnx, manifest.json, labels.txt, report.html)",
        DefaultValueFactory = _ => "mic-model",
    };

    /// <summary>The ids in <c>--exclude</c>'s file; empty without one.</summary>
    public IReadOnlySet<string> ReadExclude(ParseResult parse) =>
        parse.GetValue(Exclude) is { } file ? DatasetLoader.ReadExcludeFile(file.FullName) : new HashSet<string>();

    /// <summary>The run these options ask for, with <see cref="TrainingOptions"/>' defaults for the schedule.</summary>
    public TrainRequest Read(ParseResult parse) => new()
    {
        Source = ImageSource(parse.GetValue(Data)!, parse.GetValue(S3ServiceUrl)),
        OutputDirectory = parse.GetValue(Output)!,
        Backbone = parse.GetValue(Backbone)!,
        Normalization = parse.GetValue(Normalization),
        BackboneOutput = parse.GetValue(BackboneOutput),
        ImageSize = parse.GetValue(ImageSize),
        ValidFraction = parse.GetValue(ValidPct),
        Exclude = ReadExclude(parse),
        MaxTrain = parse.GetValue(MaxTrain),
        MaxValid = parse.GetValue(MaxValid),
        Device = parse.GetValue(Device)!,
        Threads = parse.GetValue(Threads),
        Training = new TrainingOptions
        {
            BatchSize = parse.GetValue(BatchSize),
            Seed = parse.GetValue(Seed),
            LabelSmoothing = parse.GetValue(LabelSmoothing),
            Augmentation = parse.GetValue(NoAugment) ? Augmentation.None : Augmentation.Default with { MinScale = parse.GetValue(MinScale) },
        },
    };

    /// <summary>Where <c>--data</c> points: Fashion-MNIST, an S3 prefix, or a folder.</summary>
    public static IImageSource ImageSource(string data, string? s3ServiceUrl)
    {
        if (FashionMnistSource.TryParse(data, out var fashionMnist))
        {
            return fashionMnist;
        }

        if (S3ImageSource.IsS3Uri(data))
        {
            // The client lives as long as this one-shot process.
            var client = ModelStoreLocation.CreateS3Client(PublishTarget.FromEnvironment(data, s3ServiceUrl).Connection);
            return new S3ImageSource(client, data);
        }

        return new FolderImageSource(data);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            Data, Backbone, Normalization, BackboneOutput, ImageSize, BatchSize, ValidPct, Seed, Device, Threads, Exclude, MaxTrain,
            MaxValid, NoAugment, MinScale, LabelSmoothing, S3ServiceUrl, Output,
        })
        {
            command.Options.Add(option);
        }
    }
}
