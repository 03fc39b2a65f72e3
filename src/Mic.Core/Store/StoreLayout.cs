namespace Mic.Core.Store;

/// <summary>
/// Every key MIC reads or writes in a store or bucket, in one place (docs/deploy.md shows the same layout):
/// <code>
/// models/latest.json              which version is live: {"version", "sha256", "manifestSha256"}, written last
/// models/&lt;version&gt;/...          one published bundle (manifest.json, model.onnx, report.html); never overwritten
/// uploads/...                     images to classify (the bucket's notifications fire here)
/// results/&lt;key below uploads/&gt;.json   one result per upload
/// </code>
/// Keys are relative to the store's root and use '/'.
/// </summary>
public static class StoreLayout
{
    public const string ModelsPrefix = "models/";

    public const string LatestKey = ModelsPrefix + "latest.json";

    /// <summary>Default prefix of the images to classify (<c>Mic:S3Events:UploadPrefix</c>).</summary>
    public const string UploadsPrefix = "uploads/";

    /// <summary>Default prefix of the results written for them (<c>Mic:S3Events:ResultsPrefix</c>).</summary>
    public const string ResultsPrefix = "results/";

    /// <summary>The folder of one published version, <c>models/&lt;version&gt;/</c>.</summary>
    public static string VersionPrefix(string version) => $"{ModelsPrefix}{version}/";

    /// <summary>One file of a published bundle, <c>models/&lt;version&gt;/&lt;file&gt;</c> (file names: <see cref="Models.ModelBundleWriter"/>).</summary>
    public static string BundleKey(string version, string fileName) => VersionPrefix(version) + fileName;

    /// <summary>
    /// Where the result of <paramref name="uploadKey"/> goes: the key below <paramref name="uploadsPrefix"/>, under
    /// <paramref name="resultsPrefix"/>, plus <c>.json</c> (<c>uploads/a/b.jpg</c> → <c>results/a/b.jpg.json</c>).
    /// </summary>
    public static string ResultKey(string uploadKey, string uploadsPrefix = UploadsPrefix, string resultsPrefix = ResultsPrefix) =>
        uploadKey.StartsWith(uploadsPrefix, StringComparison.Ordinal)
            ? resultsPrefix + uploadKey[uploadsPrefix.Length..] + ".json"
            : throw new ArgumentException($"'{uploadKey}' is not under {uploadsPrefix}", nameof(uploadKey));
}
