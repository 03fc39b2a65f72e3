using Mic.Trainer.Training;
using ScottPlot;

namespace Mic.Trainer.Reporting;

/// <summary>PNG plots for the report and the lr finder (ScottPlot).</summary>
public static class Plots
{
    public static byte[] LrFinder(LrFinderResult result, int width, int height)
    {
        var plot = new Plot();
        var xs = result.LearningRates.Select(Math.Log10).ToArray();
        plot.Add.ScatterLine(xs, result.Losses.ToArray());
        var valley = plot.Add.VerticalLine(Math.Log10(result.Valley), 2, Colors.OrangeRed, LinePattern.Dashed);
        valley.LegendText = $"valley {result.Valley:G3}";
        plot.Title("Learning rate finder");
        plot.XLabel("log10(learning rate)");
        plot.YLabel("smoothed loss");
        plot.ShowLegend();
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Training loss per batch (smoothed as fast.ai does) and validation loss at the end of each epoch.</summary>
    public static byte[] Losses(IReadOnlyList<double> batchLosses, IReadOnlyList<EpochResult> epochs, int width, int height)
    {
        var plot = new Plot();
        if (batchLosses.Count > 0)
        {
            var smooth = new double[batchLosses.Count];
            double average = 0;
            for (var i = 0; i < batchLosses.Count; i++)
            {
                average = (0.98 * average) + (0.02 * batchLosses[i]);
                smooth[i] = average / (1 - Math.Pow(0.98, i + 1));
            }

            var train = plot.Add.ScatterLine(Enumerable.Range(1, smooth.Length).Select(i => (double)i).ToArray(), smooth);
            train.LegendText = "train (smoothed)";
            var perEpoch = (double)batchLosses.Count / Math.Max(1, epochs.Count);
            var valid = plot.Add.Scatter(epochs.Select((_, i) => (i + 1) * perEpoch).ToArray(), epochs.Select(e => e.ValidLoss).ToArray());
            valid.LegendText = "valid";
        }

        plot.Title("Loss");
        plot.XLabel("batch");
        plot.YLabel("cross-entropy");
        plot.ShowLegend();
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    public static byte[] PrecisionRecall(IReadOnlyList<Mic.Core.Models.ClassMetrics> metrics, int width, int height)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < metrics.Count; i++)
        {
            bars.Add(new Bar { Position = (i * 3) + 0, Value = metrics[i].Precision, FillColor = Colors.SteelBlue });
            bars.Add(new Bar { Position = (i * 3) + 1, Value = metrics[i].Recall, FillColor = Colors.DarkOrange });
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(metrics.Select((_, i) => (i * 3) + 0.5).ToArray(), metrics.Select(m => m.Label).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title("Precision (blue) and recall (orange) per class");
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
