using System.ComponentModel.DataAnnotations;
using Mic.Core.Store;

namespace Mic.ClassifierFunction.Configuration;

/// <summary>
/// Which S3 objects are classified (section <c>Mic:S3Events</c>): objects created in <see cref="Bucket"/> under
/// <see cref="UploadPrefix"/> get a result at <see cref="ResultKey"/>. Records of any other bucket are refused, and
/// keys under the results prefix never trigger work.
/// </summary>
internal sealed class S3EventOptions : IValidatableObject
{
    public const string SectionName = "Mic:S3Events";

    /// <summary>The images bucket. Unset: every S3 record is refused (the function classifies no bucket's uploads).</summary>
    public string? Bucket { get; set; }

    public string UploadPrefix { get; set; } = StoreLayout.UploadsPrefix;

    [Required, MinLength(1)]
    public string ResultsPrefix { get; set; } = StoreLayout.ResultsPrefix;

    /// <summary>True for keys this function classifies: under the upload prefix, not under the results prefix, not a folder.</summary>
    public bool IsUpload(string key) =>
        key.StartsWith(UploadPrefix, StringComparison.Ordinal)
        && !key.StartsWith(ResultsPrefix, StringComparison.Ordinal)
        && key.Length > UploadPrefix.Length
        && !key.EndsWith('/');

    /// <summary><c>uploads/a/b.jpg</c> → <c>results/a/b.jpg.json</c>.</summary>
    public string ResultKey(string uploadKey) => StoreLayout.ResultKey(uploadKey, UploadPrefix, ResultsPrefix);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ResultsPrefix.StartsWith(UploadPrefix, StringComparison.Ordinal) || UploadPrefix.StartsWith(ResultsPrefix, StringComparison.Ordinal))
        {
            yield return new ValidationResult(
                $"{SectionName}: the results prefix '{ResultsPrefix}' and the upload prefix '{UploadPrefix}' must not contain each other, " +
                "or every result would trigger another classification",
                [nameof(ResultsPrefix), nameof(UploadPrefix)]);
        }
    }
}
