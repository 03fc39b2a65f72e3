using System.Globalization;

namespace Mic.Trainer.Packaging;

/// <summary>Whether a model may be published, and why (the reason is shown to the user either way).</summary>
public sealed record GateDecision(bool Passed, string Reason)
{
    /// <summary>
    /// The evaluation gate: refuse when the published model's accuracy is under <paramref name="minAccuracy"/>, or when
    /// int8 falls more than <paramref name="maxDropPoints"/> points below fp32 (skipped when there is no fp32 figure).
    /// </summary>
    public static GateDecision Check(double accuracy, double? accuracyFp32, double maxDropPoints, double? minAccuracy)
    {
        static string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);

        if (minAccuracy is { } min && accuracy < min)
        {
            return new(false, $"accuracy {P(accuracy)} is below --min-accuracy {P(min)}");
        }

        if (accuracyFp32 is { } fp32)
        {
            var drop = (fp32 - accuracy) * 100;
            if (drop > maxDropPoints)
            {
                return new(false, string.Create(CultureInfo.InvariantCulture,
                    $"int8 accuracy {P(accuracy)} is {drop:F2} points below fp32 {P(fp32)} (limit {maxDropPoints:F2} points)"));
            }

            return new(true, string.Create(CultureInfo.InvariantCulture,
                $"int8 {P(accuracy)} vs fp32 {P(fp32)} ({-drop:+0.00;-0.00;0.00} points, limit -{maxDropPoints:F2})"));
        }

        return new(true, $"accuracy {P(accuracy)}");
    }
}
