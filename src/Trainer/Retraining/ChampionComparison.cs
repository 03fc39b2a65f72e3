using System.Globalization;
using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Pipeline.Steps;

namespace Mic.Trainer.Retraining;

/// <summary>
/// Champion against challenger: the live model and the new one are scored by Mic.Core's classifier on the same
/// held-out images (the new run's validation split, resized to each model's own input), and the new one may go live
/// only if it is not more than a margin worse. Models with different classes are not comparable: the new one passes.
/// </summary>
internal static class ChampionComparison
{
    public static async Task<ChampionDecision> DecideAsync(ModelBundle champion, double challengerAccuracy, Dataset dataset,
        IImageSource source, double marginPoints, CancellationToken cancellationToken)
    {
        static string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);

        var live = champion.Manifest;
        if (!live.Labels.SequenceEqual(dataset.Labels, StringComparer.Ordinal))
        {
            return new(true, $"the live model {live.Version} has other classes ({string.Join(", ", live.Labels)}); not compared", null);
        }

        var held = live.Input == dataset.Valid.Input ? dataset.Valid : await ReloadAsync(source, dataset, live.Input, cancellationToken);
        var championAccuracy = EvaluateStep.Evaluate(BundleDraft.FromBundle(champion), held).Accuracy;
        var difference = (challengerAccuracy - championAccuracy) * 100;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"challenger {P(challengerAccuracy)} vs live {live.Version} {P(championAccuracy)} on the same {held.Count} held-out images ({difference:+0.00;-0.00;0.00} points, margin -{marginPoints:F2})");
        return new(difference >= -marginPoints, text, championAccuracy);
    }

    /// <summary>The validation images again, at another model's input size.</summary>
    private static async Task<ImageSet> ReloadAsync(IImageSource source, Dataset dataset, ModelInput input, CancellationToken cancellationToken)
    {
        var valid = dataset.Valid.Ids.ToHashSet(StringComparer.Ordinal);
        var reloaded = await DatasetLoader.LoadAsync(new HeldOutImages(source, valid, dataset.Labels),
            new DatasetOptions { Input = input }, null, cancellationToken);
        return reloaded.Valid;
    }
}
