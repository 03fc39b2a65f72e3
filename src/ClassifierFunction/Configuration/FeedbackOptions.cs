using System.ComponentModel.DataAnnotations;

namespace Mic.ClassifierFunction.Configuration;

/// <summary>
/// The feedback loop (section <c>Mic:Feedback</c>): <c>POST /feedback</c> stores corrected images under
/// <c>feedback/</c> of the model store, and the S3 path queues uploads the model was unsure of.
/// </summary>
internal sealed class FeedbackOptions
{
    public const string SectionName = "Mic:Feedback";

    /// <summary>Off: <c>POST /feedback</c> answers 404 and nothing is queued.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Largest image <c>POST /feedback</c> takes in its body (never above <c>Mic:MaxRequestBytes</c>). The page sends the
    /// downscaled copy it classified, a few hundred kilobytes; originals are given by their upload key instead.
    /// </summary>
    [Range(1, 1L << 30)]
    public long MaxImageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>
    /// Uploads whose top probability is under this are copied to <c>feedback/_uncertain/</c> for review; 0 turns the
    /// queue off.
    /// </summary>
    [Range(0.0, 1.0)]
    public double UncertaintyThreshold { get; set; } = 0.5;
}
