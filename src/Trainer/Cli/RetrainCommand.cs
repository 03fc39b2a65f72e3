using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mic.Core.Store;
using Mic.Trainer.Model;
using Mic.Trainer.Packaging;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Retraining;
using Mic.Trainer.Training;

namespace Mic.Trainer.Cli;

/// <summary>
/// <c>mic-train retrain</c>: the trainer image's entry point (the AWS Batch job definition's command). Plain lines on
/// stdout (one per epoch) and a last line of JSON (<see cref="RetrainSummary"/>); exit codes in <see cref="RetrainExitCodes"/>.
/// </summary>
internal static class RetrainCommand
{
    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void AddTo(RootCommand root, CancellationToken stop)
    {
        var store = new Option<string>("--store")
        {
            Description = "The bucket, s3://bucket: datasets/<name>/ is read, models/ is published to, checkpoints/<job id>/ is written",
            Required = true,
        };
        var dataset = new Option<string>("--dataset") { Description = "The dataset under s3://bucket/datasets/ (one folder per class)", Required = true };
        var imageSize = new Option<int>("--image-size", "-s") { Description = "Square input size in pixels", DefaultValueFactory = _ => 224 }.AtLeast(32);
        var epochs = new Option<int>("--epochs", "-e") { Description = "Epochs after unfreezing", DefaultValueFactory = _ => 4 }.AtLeast(0);
        var freeze = new Option<int>("--freeze-epochs") { Description = "Head-only epochs first", DefaultValueFactory = _ => 1 }.AtLeast(0);
        var force = new Option<bool>("--force") { Description = "true: train even when the live model was trained on this very dataset" };
        var margin = new Option<double>("--champion-margin")
        {
            Description = "Publish only if the new model's accuracy is at most this many points below the live model's on the same held-out images",
            DefaultValueFactory = _ => 0.5,
        }.Within(0, 100, minIncluded: true);
        var serviceUrl = new Option<string?>("--s3-service-url")
        {
            Description = "S3-compatible endpoint (Ceph RGW, MinIO); credentials from the AWS default chain",
        };
        var jobId = new Option<string>("--job-id")
        {
            Description = "Names the checkpoint folder checkpoints/<job id>/ (default: AWS_BATCH_JOB_ID, else 'local')",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AWS_BATCH_JOB_ID") is { Length: > 0 } id ? id : "local",
        };
        var attempt = new Option<int>("--attempt")
        {
            Description = "Above 1, resume from the job's checkpoint (default: AWS_BATCH_JOB_ATTEMPT, else 1)",
            DefaultValueFactory = _ => int.TryParse(Environment.GetEnvironmentVariable("AWS_BATCH_JOB_ATTEMPT"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1,
        }.AtLeast(1);
        var work = new Option<string>("--work-dir")
        {
            Description = "Local scratch folder (dataset copy, bundles, checkpoint)",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "mic-retrain"),
        };
        var lr = new Option<double>("--lr") { Description = "Base learning rate, or 'auto' (lr finder)", DefaultValueFactory = _ => 2e-3, HelpName = "RATE|auto" }.LearningRate();
        var batch = new Option<int>("--batch-size", "--bs") { Description = "Images per batch", DefaultValueFactory = _ => 64 }.AtLeast(2);
        var validPct = new Option<double>("--valid-pct") { Description = "Share of each class held out", DefaultValueFactory = _ => 0.2 }.Within(0, 0.9);
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42 };
        var device = new Option<string>("--device") { Description = "auto (CUDA when available), cpu, cuda or cuda:N", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores)" }.AtLeast(1);
        var backbone = new Option<string>("--backbone") { Description = "resnet18 (offline), a .onnx path or URL", DefaultValueFactory = _ => BackboneLoader.OfflineResNet18 };
        var maxDrop = new Option<double>("--max-accuracy-drop")
        {
            Description = "Refuse when int8 accuracy is more than this many points below fp32",
            DefaultValueFactory = _ => new PackagingOptions().MaxAccuracyDropPoints,
        }.Within(0, 100, minIncluded: true);
        var minAccuracy = new Option<double?>("--min-accuracy") { Description = "Refuse below this validation accuracy (0..1)" }.Within(0, 1, minIncluded: true);

        var command = new Command("retrain",
            "The scheduled job: train on s3://bucket/datasets/<name>/ unless the live model already was, quantize, gate, compare with the live model on the same held-out images, publish; checkpoints to S3 after each epoch and resumes from them on a retried attempt");
        foreach (var option in new Option[] { store, dataset, imageSize, epochs, freeze, force, margin, serviceUrl, jobId, attempt, work, lr, batch, validPct, seed, device, threads, backbone, maxDrop, minAccuracy })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, _) =>
        {
            var output = Console.Out;
            var bucket = Bucket(parse.GetValue(store)!);
            var name = parse.GetValue(dataset)!;
            if (bucket is null || !Mic.Core.Models.ModelBundle.IsSafeName(name))
            {
                return Finish(output, Failed(bucket is null
                    ? $"--store: '{parse.GetValue(store)}' is not s3://bucket"
                    : $"--dataset: '{name}' is not a folder name (letters, digits, '-', '_', '.')", parse.GetValue(jobId)!));
            }

            if (parse.GetValue(epochs) + parse.GetValue(freeze) == 0)
            {
                return Finish(output, Failed("--epochs and --freeze-epochs are both 0: nothing to train", parse.GetValue(jobId)!));
            }

            var id = parse.GetValue(jobId)!;
            var url = parse.GetValue(serviceUrl);
            var rate = parse.LearningRateOrAuto(lr);
            var settings = new RetrainSettings
            {
                Bucket = bucket,
                Dataset = name,
                ServiceUrl = url,
                Force = parse.GetValue(force),
                ChampionMarginPoints = parse.GetValue(margin),
                JobId = id,
                Attempt = parse.GetValue(attempt),
                WorkDirectory = Path.Combine(parse.GetValue(work)!, id),
                Packaging = new PackagingOptions { MaxAccuracyDropPoints = parse.GetValue(maxDrop), MinAccuracy = parse.GetValue(minAccuracy) },
                Training = new TrainRequest
                {
                    Source = null!,
                    OutputDirectory = "",
                    Backbone = parse.GetValue(backbone)!,
                    ImageSize = parse.GetValue(imageSize),
                    ValidFraction = parse.GetValue(validPct),
                    Device = parse.GetValue(device)!,
                    Threads = parse.GetValue(threads),
                    Training = new TrainingOptions
                    {
                        Epochs = parse.GetValue(epochs),
                        FreezeEpochs = parse.GetValue(freeze),
                        BaseLearningRate = rate,
                        BatchSize = parse.GetValue(batch),
                        Seed = parse.GetValue(seed),
                    },
                },
            };
            output.WriteLine($"mic-train retrain: job {id}, attempt {settings.Attempt}, {settings.DatasetUri}, {settings.Training.ImageSize} px, {settings.Training.Training.FreezeEpochs} frozen + {settings.Training.Training.Epochs} epochs{(settings.Force ? ", forced" : "")}");
            var connection = PublishTarget.FromEnvironment(parse.GetValue(store)!, url).Connection;
            using var client = ModelStoreLocation.CreateS3Client(connection);
            RetrainSummary summary;
            try
            {
                summary = await new RetrainJob(settings, client, connection, output).RunAsync(stop);
            }
            catch (Exception e) when (CommandLine.IsInputProblem(e))
            {
                summary = Failed(e.Message, id);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                summary = new RetrainSummary
                {
                    Outcome = RetrainExitCodes.Name(RetrainOutcome.Stopped),
                    Published = false,
                    Reason = "stopped before training started",
                    ExitCode = RetrainExitCodes.Stopped,
                    JobId = id,
                };
            }

            return Finish(output, summary);
        });
        root.Subcommands.Add(command);
    }

    private static string? Bucket(string uri)
    {
        if (!uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var bucket = uri[5..].TrimEnd('/');
        return bucket.Length is >= 3 and <= 63 && !bucket.Contains('/', StringComparison.Ordinal) ? bucket : null;
    }

    private static RetrainSummary Failed(string reason, string jobId) => new()
    {
        Outcome = RetrainExitCodes.Name(RetrainOutcome.Failed),
        Published = false,
        Reason = reason,
        ExitCode = RetrainExitCodes.For(RetrainOutcome.Failed),
        JobId = jobId,
    };

    private static int Finish(TextWriter output, RetrainSummary summary)
    {
        output.WriteLine(summary.Published ? $"published {summary.Version}" : $"not published: {summary.Reason}");
        output.WriteLine(JsonSerializer.Serialize(summary, SummaryJson));
        output.Flush();
        return summary.ExitCode;
    }
}
