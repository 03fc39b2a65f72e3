using Mic.Trainer.Training;

namespace Mic.Trainer.Tests.Training;

/// <summary>fast.ai's schedule and lr-finder arithmetic, against values fast.ai itself gives.</summary>
public sealed class OneCycleTests
{
    [Theory]
    [InlineData(0.0, 1 / 25.0)]
    [InlineData(0.25, 1.0)]
    [InlineData(1.0, 1e-5)]
    public void LearningRateFactor_FitOneCycleDefaults_MatchesFastai(double position, double expected) =>
        Assert.Equal(expected, OneCycle.LearningRateFactor(position, 0.25, 25, 1e5), 9);

    [Fact]
    public void Momentum_OverTheCycle_GoesDownThenBackUp()
    {
        Assert.Equal(0.95, OneCycle.Momentum(0, 0.3), 9);
        Assert.Equal(0.85, OneCycle.Momentum(0.3, 0.3), 9);
        Assert.Equal(0.95, OneCycle.Momentum(1, 0.3), 9);
    }

    [Fact]
    public void EvenMultiples_SliceOfThreeGroups_IsGeometric() =>
        Assert.Equal([1e-5, 1e-4, 1e-3], OneCycle.EvenMultiples(1e-5, 1e-3, 3).Select(v => Math.Round(v, 12)));

    [Fact]
    public void Valley_LossThatFallsThenExplodes_PicksAPointOnTheWayDown()
    {
        // Loss flat until 1e-4, falling steadily to its minimum at 1e-1, then exploding.
        var rates = Enumerable.Range(0, 100).Select(i => 1e-7 * Math.Pow(1e8, i / 99.0)).ToArray();
        var losses = rates.Select(r => r < 1e-4 ? 2.3 : r < 1e-1 ? 2.3 - (0.5 * Math.Log10(r / 1e-4)) : 0.8 + (10 * (r - 1e-1))).ToArray();

        var valley = Learner.Valley(rates, losses);

        Assert.InRange(valley, 1e-4, 1e-1);
    }
}
