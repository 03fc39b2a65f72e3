using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Mic.Core.Models;
using Mic.Core.Store;
using Mic.Trainer.Data;
using Mic.Trainer.Packaging;
using Mic.Trainer.Training;

namespace Mic.Trainer.Retraining;

/// <summary>
/// The scheduled job: dataset from <c>s3://bucket/datasets/&lt;name&gt;/</c> → skip if the live model was trained on
/// exactly these images → train (resuming from <c>checkpoints/&lt;job id&gt;/</c> on a retried attempt) → export →
/// quantize → evaluation gate → champion vs challenger → publish to the bucket's <c>models/</c>. Progress goes to
/// <c>output</c> as plain lines; the result is returned for the one-line JSON summary.
/// </summary>
internal sealed class RetrainJob(RetrainSettings settings, IAmazonS3 client, TextWriter output)
{
    private readonly S3ModelStore _store = new(client, settings.Bucket, "");
    private readonly S3Checkpoint _checkpoint = new(client, settings.Bucket, settings.JobId);

    /// <exception cref="InvalidDataException">The dataset is missing or unusable (fewer than two classes with readable images).</exception>
    /// <exception cref="ModelBundleException">The live model cannot be read back, or the version exists already.</exception>
    public async Task<RetrainSummary> RunAsync(CancellationToken stop)
    {
        var work = settings.WorkDirectory;
        var champion = await ReadChampionAsync(Path.Combine(work, "champion"), stop);

        var source = new CachedImageSource(new S3ImageSource(client, settings.DatasetUri), Path.Combine(work, "dataset"));
        var request = settings.Training;
        output.WriteLine($"reading {settings.DatasetUri}");
        // The same options as the training run's own read, so the hash is the one the manifest will record.
        var dataset = await DatasetLoader.LoadAsync(source, TrainingRun.DatasetOptionsFor(request), null, stop);
        output.WriteLine($"{dataset.Train.Count + dataset.Valid.Count} images in {dataset.Labels.Count} classes ({string.Join(", ", dataset.Labels)}), {dataset.Skipped.Count} skipped; dataset hash {dataset.Hash}");
        foreach (var skipped in dataset.Skipped.Take(20))
        {
            output.WriteLine($"  skipped {skipped.Id}: {skipped.Reason}");
        }

        if (champion?.Manifest.Training?.DatasetHash == dataset.Hash && !settings.Force)
        {
            return Summary(RetrainOutcome.Skipped,
                $"the live model {champion.Manifest.Version} was trained on this dataset (hash {dataset.Hash}); --force true retrains anyway",
                champion.Manifest, dataset.Hash);
        }

        var run = Path.Combine(work, "run");
        var resume = await PrepareRunFolderAsync(run, stop);
        var log = new EpochLog(output, _checkpoint, Checkpoint.PathIn(run), request.Training.FreezeEpochs + request.Training.Epochs)
        {
            AlreadyFinished = resume,
        };
        var outcome = await TrainingRun.RunAsync(request with { Source = source, OutputDirectory = run, Resume = resume > 0 }, log, null, stop);
        if (outcome.Cancelled || outcome.Bundle is null)
        {
            var reason = Directory.Exists(Checkpoint.PathIn(run))
                ? $"stopped after {AllEpochs(outcome, resume)} epoch(s); the next attempt of job {settings.JobId} resumes from {_checkpoint.Location}"
                : "stopped before the first epoch finished; nothing to resume";
            return Summary(RetrainOutcome.Stopped, reason, null, dataset.Hash);
        }

        var fp32 = outcome.Bundle;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {fp32.Manifest.Version}: fp32 accuracy {outcome.Evaluation!.Accuracy:P2} on {outcome.Dataset.Valid.Count} validation images; quantizing"));
        var packaged = ModelPackager.Package(fp32, outcome.Dataset.Train, outcome.Dataset.Valid, Path.Combine(fp32.Directory, "int8"),
            settings.Packaging, CancellationToken.None, outcome.Evaluation);
        var candidate = packaged.Bundle;
        // Training is over: whatever happens next, there is nothing left to resume.
        await _checkpoint.DeleteAsync(CancellationToken.None);
        if (!packaged.Gate.Passed)
        {
            return Summary(RetrainOutcome.GateRefused, $"evaluation gate: {packaged.Gate.Reason}", candidate.Manifest, dataset.Hash);
        }

        output.WriteLine($"evaluation gate: passed ({packaged.Gate.Reason})");
        if (champion is not null)
        {
            var decision = await ChampionComparison.DecideAsync(champion, packaged.Int8.Accuracy, outcome.Dataset, source,
                settings.ChampionMarginPoints, CancellationToken.None);
            output.WriteLine($"champion vs challenger: {decision.Reason}");
            if (!decision.Passed)
            {
                return Summary(RetrainOutcome.ChampionKept, $"the live model stays: {decision.Reason}", candidate.Manifest, dataset.Hash,
                    champion.Manifest, decision.ChampionAccuracy);
            }
        }

        await ModelPublisher.PublishAsync(_store, candidate, CancellationToken.None);
        return Summary(RetrainOutcome.Published, $"published to {_store.Location}/{StoreLayout.VersionPrefix(candidate.Manifest.Version)}; it is live",
            candidate.Manifest, dataset.Hash, champion?.Manifest);
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
    private async Task<int> PrepareRunFolderAsync(string run, CancellationToken cancellationToken)
    {
        if (Directory.Exists(run))
        {
            Directory.Delete(run, recursive: true);
        }

        Directory.CreateDirectory(run);
        if (settings.Attempt <= 1)
        {
            return 0;
        }

        if (!await _checkpoint.DownloadAsync(Checkpoint.PathIn(run), cancellationToken))
        {
            output.WriteLine($"attempt {settings.Attempt}: no checkpoint in {_checkpoint.Location}; starting afresh");
            return 0;
        }

        using var state = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Checkpoint.PathIn(run), "state.json"), cancellationToken));
        var done = state.RootElement.GetProperty(nameof(CheckpointState.History)).GetArrayLength();
        output.WriteLine($"attempt {settings.Attempt}: resuming from {_checkpoint.Location} after epoch {done}");
        return done;
    }

    private static int AllEpochs(TrainOutcome outcome, int resumed) => Math.Max(outcome.History.Count, resumed);

    private RetrainSummary Summary(RetrainOutcome outcome, string reason, ModelManifest? manifest, string datasetHash,
        ModelManifest? champion = null, double? championAccuracy = null) => new()
        {
            Outcome = RetrainExitCodes.Name(outcome),
            Published = outcome == RetrainOutcome.Published,
            Reason = reason,
            ExitCode = RetrainExitCodes.For(outcome),
            Version = manifest?.Version,
            Accuracy = manifest?.Metrics?.Accuracy,
            AccuracyFp32 = manifest?.Metrics?.AccuracyFp32,
            Epochs = manifest?.Training?.Epochs,
            JobId = settings.JobId,
            DatasetHash = datasetHash,
            ChampionVersion = champion?.Version,
            ChampionAccuracy = championAccuracy,
        };
}
