using System.Globalization;
using System.Net;

namespace Mic.Trainer.Reporting;

/// <summary>
/// The report's "From feedback" part: how many of the run's images were accepted from feedback, and the share of them
/// the live model (before) and the new model (after) classify as their accepted label. <see cref="LiveAccuracy"/> is
/// null without a live model, or when it has other classes.
/// </summary>
internal sealed record FeedbackSection(int Train, int Valid, string? LiveVersion, double? LiveAccuracy, double NewAccuracy)
{
    /// <summary>One plain line for the job's log.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"from feedback: {Train + Valid} image(s) ({Train} train, {Valid} validation); {Before}, new model {NewAccuracy:P2} on them");

    private string Before => LiveAccuracy is { } live
        ? string.Create(CultureInfo.InvariantCulture, $"live model {LiveVersion} {live:P2}")
        : "no comparable live model";

    /// <summary><paramref name="reportHtml"/> with this section added at the end of its body.</summary>
    public string AddTo(string reportHtml)
    {
        var section = string.Create(CultureInfo.InvariantCulture,
            $"<h2>From feedback</h2><p>{Train + Valid} image(s) accepted from feedback (file names are their SHA-256): {Train} train, {Valid} validation. Classified as their accepted label: {WebUtility.HtmlEncode(Before)} before, new model {NewAccuracy:P2} after.</p>");
        var end = reportHtml.LastIndexOf("</body>", StringComparison.Ordinal);
        return end < 0 ? reportHtml + section : reportHtml.Insert(end, section);
    }
}
