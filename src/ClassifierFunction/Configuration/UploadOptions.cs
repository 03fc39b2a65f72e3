using System.ComponentModel.DataAnnotations;

namespace Mic.ClassifierFunction.Configuration;

/// <summary>
/// Direct uploads of full-size originals to the images bucket (section <c>Mic:Uploads</c>): <c>POST /uploads</c> signs
/// a form for <see cref="S3EventOptions.UploadPrefix"/>, <c>GET /results/{key}</c> reads the result. Off while
/// <see cref="Bucket"/> is empty.
/// </summary>
internal sealed class UploadOptions
{
    public const string SectionName = "Mic:Uploads";

    /// <summary>The images bucket, whose upload prefix is classified (by this function or the upload classifier).</summary>
    public string? Bucket { get; set; }

    /// <summary>How long a signed upload form stays valid.</summary>
    [Range(30, 3600)]
    public int ExpirySeconds { get; set; } = 300;
}
