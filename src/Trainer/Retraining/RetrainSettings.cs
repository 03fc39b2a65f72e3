using Mic.Trainer.Packaging;
using Mic.Trainer.Training;

namespace Mic.Trainer.Retraining;

/// <summary>
/// One <c>mic-train retrain</c> run: the bucket that holds the dataset, the model store (<c>models/</c>) and the
/// checkpoints, and how to train. Everything comes from the job's command line and environment.
/// </summary>
internal sealed record RetrainSettings
{
    /// <summary>The bucket name (from <c>--store s3://bucket</c>).</summary>
    public required string Bucket { get; init; }

    /// <summary>The dataset's folder under <c>datasets/</c>: one folder per class below it.</summary>
    public required string Dataset { get; init; }

    /// <summary>S3-compatible endpoint (Ceph RGW); null = AWS S3 through the default credential chain and region.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Train and compare even when the dataset is the live model's.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// How many accuracy points the challenger may fall below the live model on the same held-out images and still be
    /// published. 0 = it must be at least as good.
    /// </summary>
    public double ChampionMarginPoints { get; init; } = 0.5;

    /// <summary>Names the checkpoint folder <c>checkpoints/&lt;job id&gt;/</c> (AWS_BATCH_JOB_ID).</summary>
    public required string JobId { get; init; }

    /// <summary>1 for a first try; above 1 resumes from the job's checkpoint (AWS_BATCH_JOB_ATTEMPT).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Local scratch space: the downloaded dataset, the bundles and the local checkpoint.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The training run (its Source, OutputDirectory and Resume are set by the job).</summary>
    public required TrainRequest Training { get; init; }

    public PackagingOptions Packaging { get; init; } = new();

    public string DatasetUri => $"s3://{Bucket}/{DatasetPrefix}";

    public string DatasetPrefix => $"datasets/{Dataset}/";
}
