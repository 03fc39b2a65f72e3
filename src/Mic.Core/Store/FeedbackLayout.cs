namespace Mic.Core.Store;

/// <summary>
/// The keys of the feedback loop, relative to the store's root (the same root as <see cref="StoreLayout"/>):
/// <code>
/// feedback/&lt;label&gt;/&lt;sha256&gt;.&lt;ext&gt;      an image a user labelled (the key holds the content hash: one object per image and label)
/// feedback/&lt;label&gt;/&lt;sha256&gt;.json       its sidecar: the model's prediction, where the image came from, when
/// feedback/_unlabelled/...                  "none of these": reviewed, never accepted into a dataset
/// feedback/_uncertain/...                   uploads the model was least sure of, waiting for a label
/// datasets/&lt;name&gt;/&lt;label&gt;/&lt;file&gt;        accepted images, where training reads them
/// </code>
/// The function writes only under <see cref="Prefix"/>; <c>mic-train accept</c> moves images from there into
/// <see cref="DatasetsPrefix"/>.
/// </summary>
public static class FeedbackLayout
{
    public const string Prefix = "feedback/";

    public const string DatasetsPrefix = "datasets/";

    /// <summary>The folder for "none of these": a user said no label of the model fits.</summary>
    public const string Unlabelled = "_unlabelled";

    /// <summary>The folder of uploads whose top probability was under the threshold.</summary>
    public const string Uncertain = "_uncertain";

    public const string SidecarExtension = "json";

    /// <summary>True for <see cref="Unlabelled"/> and <see cref="Uncertain"/>: folders that are never a training label.</summary>
    public static bool IsReserved(string label) => label is Unlabelled or Uncertain;

    /// <summary>
    /// True when <paramref name="label"/> can be one folder of a key: not empty, at most 200 characters, no '/', '\',
    /// control character, "." or "..", and not reserved.
    /// </summary>
    public static bool IsTrainingLabel(string label) =>
        label.Length is > 0 and <= 200
        && label is not ("." or "..")
        && !IsReserved(label)
        && !label.Any(c => c is '/' or '\\' || char.IsControl(c));

    public static string LabelPrefix(string label) => $"{Prefix}{label}/";

    /// <summary><c>feedback/&lt;label&gt;/&lt;sha256&gt;.&lt;extension&gt;</c>; <paramref name="extension"/> without the dot.</summary>
    public static string ImageKey(string label, string sha256, string extension) => $"{LabelPrefix(label)}{sha256}.{extension}";

    public static string SidecarKey(string label, string sha256) => $"{LabelPrefix(label)}{sha256}.{SidecarExtension}";

    /// <summary>The file extension for a decoder format name (<c>jpeg</c> → <c>jpg</c>, <c>tiff</c> → <c>tif</c>).</summary>
    public static string Extension(string format) => format.ToLowerInvariant() switch
    {
        "jpeg" => "jpg",
        "tiff" => "tif",
        var other => other,
    };

    /// <summary><c>datasets/&lt;name&gt;/</c>.</summary>
    public static string DatasetPrefix(string dataset) => $"{DatasetsPrefix}{dataset}/";

    /// <summary>
    /// Splits an image key into its label, hash and extension; false for sidecars, folders and anything that is not
    /// <c>feedback/&lt;label&gt;/&lt;64 hex digits&gt;.&lt;ext&gt;</c>.
    /// </summary>
    public static bool TryParseImageKey(string key, out FeedbackImageKey parsed)
    {
        parsed = default;
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = key[Prefix.Length..].Split('/');
        if (parts.Length != 2)
        {
            return false;
        }

        var dot = parts[1].IndexOf('.', StringComparison.Ordinal);
        if (dot != 64 || !parts[1][..dot].All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        var extension = parts[1][(dot + 1)..];
        if (extension.Length == 0 || extension == SidecarExtension || parts[0].Length == 0)
        {
            return false;
        }

        parsed = new FeedbackImageKey(parts[0], parts[1][..dot], extension);
        return true;
    }
}
