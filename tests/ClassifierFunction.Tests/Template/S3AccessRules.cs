namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// Least privilege on the images bucket, per IAM principal of the stack and per key prefix: every S3 permission a
/// role or managed policy of the deployed (SAM-translated) template holds must be a row here. A new principal (the
/// trainer's job role, say) gets its own entry; one with S3 access and no entry fails the check.
/// </summary>
internal static class S3AccessRules
{
    /// <summary>The bucket itself (<c>arn:aws:s3:::bucket</c>), for bucket-level actions such as ListBucket.</summary>
    public const string Bucket = S3PolicyGrants.Bucket;

    /// <summary>Logical id of the role or policy → the (action, prefix) pairs it may hold.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<S3Grant>> Allowed = new Dictionary<string, IReadOnlySet<S3Grant>>
    {
        // The API: serves models, reads results for GET /results, signs upload forms for uploads/ (a form acts with
        // the signer's permissions), reads an upload and writes feedback/ for POST /feedback. ListBucket turns S3's 403
        // for a missing key into the 404 it is.
        ["ClassifierFunctionRole"] = new HashSet<S3Grant>
        {
            new("s3:GetObject", "models/"), new("s3:GetObject", "results/"), new("s3:PutObject", "uploads/"), new("s3:ListBucket", Bucket),
            new("s3:GetObject", "uploads/"), new("s3:GetObject", "feedback/"), new("s3:PutObject", "feedback/"),
        },
        // The upload classifier: reads uploads and models, writes results, queues uncertain uploads under feedback/.
        ["UploadClassifierFunctionRole"] = new HashSet<S3Grant>
        {
            new("s3:GetObject", "uploads/"), new("s3:GetObject", "models/"), new("s3:PutObject", "results/"), new("s3:ListBucket", Bucket),
            new("s3:GetObject", "feedback/"), new("s3:PutObject", "feedback/"),
        },
    };

    /// <summary>
    /// Prefixes no function may write: the model store belongs to the trainer, and datasets/ grows only through
    /// <c>mic-train accept</c>, so feedback from the public API cannot reach training data by itself.
    /// </summary>
    public static readonly IReadOnlySet<string> TrainerOnlyPrefixes = new HashSet<string> { "models/", "datasets/" };

    /// <summary>Actions that change or delete objects.</summary>
    public static bool Writes(string action) =>
        action is "s3:PutObject" or "s3:DeleteObject" or "s3:DeleteObjectVersion" or "s3:PutObjectAcl" or "s3:RestoreObject"
        || action.EndsWith('*');
}
