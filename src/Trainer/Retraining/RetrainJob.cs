using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Trainer.Data;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Training;

namespace Mic.Trainer.Retraining;

/// <summary>
/// The scheduled job, as <c>train</c>'s pipeline with three additions: the dataset from
/// <c>s3://bucket/datasets/&lt;name&gt;/</c> → prepare data → <see cref="SkipUnchangedStep"/> → fit (each epoch's
/// checkpoint copied to <c>checkpoints/&lt;job id&gt;/</c> by <see cref="S3CheckpointHook"/>, and resumed from there on a
/// retried attempt) → export → evaluate → report (with <see cref="FeedbackReportStep"/>) → quantize → gate → <see cref="ChampionStep"/> → publish to the bucket's
/// <c>models/</c>. Progress goes to <c>output</c> as plain lines; the result is returned for the one-line JSON summary.
/// </summary>
internal sealed class RetrainJob(RetrainSettings settings, IAmazonS3 client, S3ConnectionOptions connection, TextWriter output)
{
    private readonly S3ModelStore _store = new(client, settings.Bucket, "");
    private readonly S3Checkpoint _checkpoint = new(client, settings.Bucket, settings.JobId);

    /// <exception cref="InvalidDataException">The dataset is missing or unusable (fewer than two classes with readable images).</exception>
    /// <exception cref="ModelBundleException">The live model cannot be read back, or the version exists already.</exception>
    public async Task<RetrainSummary> RunAsync(CancellationToken stop)
    {
        var champion = await ReadChampionAsync(Path.Combine(settings.WorkDirectory, "champion"), stop);
        var folder = Path.Combine(settings.WorkDirectory, "run");
        var resumed = await PrepareRunFolderAsync(folder, stop);
        var source = new S3ImageSource(client, settings.DatasetUri);
        var train = settings.Training with { Source = source, OutputDirectory = folder, Resume = resumed > 0 };

        var championStep = new ChampionStep(champion, settings.ChampionMarginPoints, source, output);
        var steps = PipelineSteps.Train(train);
        steps.Insert(steps.FindIndex(s => s.Name == "prepare data") + 1, new SkipUnchangedStep(champion, settings.Force));
        steps.Insert(steps.FindIndex(s => s.Name == "report") + 1, new FeedbackReportStep(champion, source, output));
        steps.Insert(steps.FindIndex(s => s.Name == "publish"), championStep);
        using var run = new PipelineRun(new PipelineRequest
        {
            OutputDirectory = folder,
            Packaging = settings.Packaging,
            Publish = new PublishTarget($"s3://{settings.Bucket}", connection),
        }, new RetrainLog(output, train.Training.FreezeEpochs + train.Training.Epochs, resumed));
        run.EpochHooks.Add(new S3CheckpointHook(_checkpoint, output));
        output.WriteLine($"reading {settings.DatasetUri}");
        var outcome = await new TrainingPipeline(steps).RunAsync(run, stop);
        if (run.Dataset is { } dataset)
        {
            output.WriteLine($"{dataset.Train.Count + dataset.Valid.Count} images in {dataset.Labels.Count} classes ({string.Join(", ", dataset.Labels)}), {dataset.Skipped.Count} skipped; dataset hash {dataset.Hash}");
            foreach (var skipped in dataset.Skipped.Take(20))
            {
                output.WriteLine($"  skipped {skipped.Id}: {skipped.Reason}");
            }
        }

        var result = outcome.Status switch
        {
            PipelineStatus.Completed when run.PublishedTo is not null => RetrainOutcome.Published,
            PipelineStatus.Skipped => RetrainOutcome.Skipped,
            PipelineStatus.Refused when championStep.Decision is { Passed: false } => RetrainOutcome.ChampionKept,
            PipelineStatus.Refused => RetrainOutcome.GateRefused,
            _ => RetrainOutcome.Stopped,
        };
        var reason = outcome.Reason;
        if (result == RetrainOutcome.Stopped)
        {
            reason = Directory.Exists(Checkpoint.PathIn(folder))
                ? $"stopped after {Math.Max(run.Fit?.History.Count ?? 0, resumed)} epoch(s); the next attempt of job {settings.JobId} resumes from {_checkpoint.Location}"
                : $"{outcome.Reason}; nothing to resume";
        }
        else if (run.Fit is { Cancelled: false })
        {
            // Training is over, whatever became of the model: there is nothing left to resume.
            await _checkpoint.DeleteAsync(CancellationToken.None);
        }

        var manifest = result == RetrainOutcome.Skipped ? champion?.Manifest : run.Candidate?.Manifest;
        return new RetrainSummary
        {
            Outcome = RetrainExitCodes.Name(result),
            Published = result == RetrainOutcome.Published,
            Reason = result == RetrainOutcome.Published ? $"{outcome.Reason}; it is live" : reason,
            ExitCode = RetrainExitCodes.For(result),
            Version = manifest?.Version,
            Accuracy = manifest?.Metrics?.Accuracy,
            AccuracyFp32 = manifest?.Metrics?.AccuracyFp32,
            Epochs = manifest?.Training?.Epochs,
            JobId = settings.JobId,
            DatasetHash = run.Dataset?.Hash,
            ChampionVersion = champion?.Manifest.Version,
            ChampionAccuracy = championStep.Decision?.ChampionAccuracy,
        };
    }

    /// <summary>The live model, downloaded and verified against <c>latest.json</c>; null when nothing is published.</summary>
    private async Task<ModelBundle?> ReadChampionAsync(string directory, CancellationToken cancellationToken)
    {
        var latest = await ModelCatalog.ReadLatestAsync(_store, cancellationToken);
        if (latest is null)
        {
            output.WriteLine($"no live model in {_store.Location}/{StoreLayout.LatestKey}: the first model is published if it passes the gate");
            return null;
        }

        var bundle = await StoredBundle.DownloadAsync(_store, latest.Version, directory, latest, cancellationToken);
        output.WriteLine($"live model: {latest.Version} (accuracy {bundle.Manifest.Metrics?.Accuracy?.ToString("P2", CultureInfo.InvariantCulture) ?? "unknown"}, dataset hash {bundle.Manifest.Training?.DatasetHash ?? "unknown"})");
        return bundle;
    }

    /// <summary>
    /// A clean run folder; on a retried attempt with the S3 checkpoint in it. Returns the epochs that checkpoint has
    /// finished (0 = start afresh).
    /// </summary>
    private async Task<int> PrepareRunFolderAsync(string folder, CancellationToken cancellationToken)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        if (settings.Attempt <= 1)
        {
            return 0;
        }

        if (!await _checkpoint.DownloadAsync(Checkpoint.PathIn(folder), cancellationToken))
        {
            output.WriteLine($"attempt {settings.Attempt}: no checkpoint in {_checkpoint.Location}; starting afresh");
            return 0;
        }

        using var state = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Checkpoint.PathIn(folder), "state.json"), cancellationToken));
        var done = state.RootElement.GetProperty(nameof(CheckpointState.History)).GetArrayLength();
        output.WriteLine($"attempt {settings.Attempt}: resuming from {_checkpoint.Location} after epoch {done}");
        return done;
    }
}
