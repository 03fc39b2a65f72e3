using System.ComponentModel.DataAnnotations;

namespace Mic.ClassifierFunction.Uploads;

/// <summary>
/// Direct uploads of full-size originals to the images bucket (section <c>Mic:Uploads</c>). Off while
/// <see cref="Bucket"/> is empty. The S3 event handler classifies what lands under the upload prefix.
/// </summary>
public sealed class UploadOptions
{
    public const string SectionName = "Mic:Uploads";

    /// <summary>The images bucket; the same one whose <c>uploads/</c> prefix triggers the function.</summary>
    public string? Bucket { get; set; }

    /// <summary>How long a signed upload form stays valid.</summary>
    [Range(30, 3600)]
    public int ExpirySeconds { get; set; } = 300;
}
