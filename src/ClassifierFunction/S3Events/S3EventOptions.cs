using System.ComponentModel.DataAnnotations;

namespace Mic.ClassifierFunction.S3Events;

/// <summary>
/// Which S3 objects are classified (section <c>Mic:S3Events</c>): objects created under <see cref="UploadPrefix"/>
/// get a result at <see cref="ResultsPrefix"/> + the key below the upload prefix + <c>.json</c>
/// (<c>uploads/a/b.jpg</c> → <c>results/a/b.jpg.json</c>). Keys under the results prefix never trigger work.
/// </summary>
public sealed class S3EventOptions : IValidatableObject
{
    public const string SectionName = "Mic:S3Events";

    public string UploadPrefix { get; set; } = "uploads/";

    [Required, MinLength(1)]
    public string ResultsPrefix { get; set; } = "results/";

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
