using System.CommandLine;
using Mic.Trainer.Packaging;
using Mic.Trainer.Pipeline;

namespace Mic.Trainer.Cli;

/// <summary><c>train</c>'s options for what happens after training: quantize, gate, publish.</summary>
internal sealed class PackagingCliOptions
{
    private readonly Option<bool> _noQuantize = new("--no-quantize") { Description = "Keep only the fp32 bundle (no int8 bundle is made)" };

    private readonly Option<int> _calibration = new Option<int>("--calibration-images")
    {
        Description = "Training images used to calibrate int8 activation ranges",
        DefaultValueFactory = _ => new PackagingOptions().CalibrationImages,
    }.AtLeast(1);

    private readonly Option<double> _maxDrop = new Option<double>("--max-accuracy-drop")
    {
        Description = "Refuse to publish when int8 accuracy is more than this many points below fp32",
        DefaultValueFactory = _ => new PackagingOptions().MaxAccuracyDropPoints,
    }.Within(0, 100, minIncluded: true);

    private readonly Option<double?> _minAccuracy = new Option<double?>("--min-accuracy") { Description = "Refuse to publish below this validation accuracy (0..1)" }
        .Within(0, 1, minIncluded: true);

    private readonly Option<string?> _publish = new("--publish")
    {
        Description = "Publish the (int8, gated) bundle to this model store: a folder, file:///path or s3://bucket/prefix",
    };

    private readonly Option<string?> _publishS3 = new("--publish-s3-service-url") { Description = "S3-compatible endpoint for --publish (Ceph RGW, MinIO)" };

    public void AddTo(Command command)
    {
        command.Options.Add(_noQuantize);
        command.Options.Add(_calibration);
        command.Options.Add(_maxDrop);
        command.Options.Add(_minAccuracy);
        command.Options.Add(_publish);
        command.Options.Add(_publishS3);
    }

    public Values Read(ParseResult parse) => new(
        !parse.GetValue(_noQuantize),
        new PackagingOptions
        {
            CalibrationImages = parse.GetValue(_calibration),
            MaxAccuracyDropPoints = parse.GetValue(_maxDrop),
            MinAccuracy = parse.GetValue(_minAccuracy),
        },
        parse.GetValue(_publish),
        parse.GetValue(_publishS3));

    public sealed record Values(bool Quantize, PackagingOptions Options, string? PublishTo, string? PublishS3ServiceUrl)
    {
        /// <summary>The pipeline request these options ask for, writing to <paramref name="outputDirectory"/>.</summary>
        public PipelineRequest Request(string outputDirectory, string? version) => new()
        {
            OutputDirectory = outputDirectory,
            Version = version,
            Packaging = Options,
            Publish = PublishTo is null ? null : PublishTarget.FromEnvironment(PublishTo, PublishS3ServiceUrl),
        };
    }
}
