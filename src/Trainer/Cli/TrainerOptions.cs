using System.CommandLine;
using Mic.Trainer.Data;
using Mic.Trainer.Model;
using Mic.Trainer.Training;

namespace Mic.Trainer.Cli;

/// <summary>The options <c>train</c> and <c>lr-find</c> share, with fast.ai's defaults.</summary>
internal sealed class TrainerOptions
{
    public Option<string> Data { get; } = new("--data", "-d")
    {
        Description = "Labelled images: a folder per class, s3://bucket/prefix, or Fashion-MNIST: fashion-mnist-train[:DIR] (60,000, --valid-pct held out), fashion-mnist-test[:DIR] (10,000, to evaluate)",
        Required = true,
        HelpName = "PATH|s3://bucket/prefix|fashion-mnist",
    };

    public Option<string> Backbone { get; } = new("--backbone", "-b")
    {
        Description = "Pretrained ImageNet ONNX model: 'resnet18' (offline, bundled) or a .onnx path or http(s) URL (e.g. the ONNX model zoo's ResNet50 or MobileNetV2)",
        DefaultValueFactory = _ => BackboneLoader.OfflineResNet18,
    };

    public Option<string?> Normalization { get; } = new("--normalization")
    {
        Description = "The backbone's input normalization: imagenet, caffe-bgr, unit, or rgb:mean=a,b,c:std=a,b,c (default: the backbone's own for resnet18, else imagenet)",
    };

    public Option<string?> BackboneOutput { get; } = new("--backbone-output")
    {
        Description = "Name of the backbone's last feature map to attach the head to (default: found before its pooling)",
    };

    public Option<int> ImageSize { get; } = new Option<int>("--image-size", "-s")
    {
        Description = "Square input size in pixels (photos are resized to cover it and centre-cropped, as when serving)",
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
        Description = "Smallest share of the image area a random training crop keeps (fast.ai's RandomResizedCrop min_scale); 1 turns cropping off",
        DefaultValueFactory = _ => Augmentation.Default.MinScale,
    }.Within(0, 1);

    public Option<double> LabelSmoothing { get; } = new Option<double>("--label-smoothing")
    {
        Description = "Train against targets smoothed towards uniform by this much (fast.ai's LabelSmoothingCrossEntropy, usually 0.1); a regulariser against over-confident fits. lr-find sweeps the same loss. 0 = plain cross-entropy",
        DefaultValueFactory = _ => 0,
    }.Within(0, 0.5, minIncluded: true);

    public Option<string?> S3ServiceUrl { get; } = new("--s3-service-url")
    {
        Description = "S3-compatible endpoint (Ceph RGW, MinIO) with path-style addressing; credentials from the AWS environment variables",
    };

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Folder for the model bundle (model.onnx, manifest.json, labels.txt, report.html)",
        DefaultValueFactory = _ => "mic-model",
    };

    /// <summary>The ids in <c>--exclude</c>'s file; empty without one.</summary>
    public IReadOnlySet<string> ReadExclude(ParseResult parse) =>
        parse.GetValue(Exclude) is { } file ? DatasetLoader.ReadExcludeFile(file.FullName) : new HashSet<string>();

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
