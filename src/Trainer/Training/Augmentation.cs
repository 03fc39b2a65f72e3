namespace Mic.Trainer.Training;

/// <summary>
/// fast.ai's <c>aug_transforms()</c> plus <c>RandomResizedCrop</c>, with its defaults: a random crop of 35–100% of
/// the area at aspect 3/4–4/3, horizontal flip, rotation up to ±10° and zoom up to 1.1× (each with p = 0.75),
/// brightness and contrast up to 0.2 (p = 0.75). Reflection padding, bilinear sampling.
/// </summary>
public sealed record Augmentation
{
    public double MinScale { get; init; } = 0.35;
    public bool Flip { get; init; } = true;
    public double MaxRotateDegrees { get; init; } = 10;
    public double MaxZoom { get; init; } = 1.1;
    public double MaxLighting { get; init; } = 0.2;
    public double AffineProbability { get; init; } = 0.75;
    public double LightingProbability { get; init; } = 0.75;

    public static Augmentation Default { get; } = new();

    public static Augmentation None { get; } = new()
    {
        MinScale = 1,
        Flip = false,
        MaxRotateDegrees = 0,
        MaxZoom = 1,
        MaxLighting = 0,
        AffineProbability = 0,
        LightingProbability = 0,
    };

    public bool IsIdentity => MinScale >= 1 && !Flip && AffineProbability == 0 && LightingProbability == 0;
}
