using Mic.Trainer.Training;

namespace Mic.Trainer.Tests.Training;

/// <summary>
/// fast.ai's lr_find on a real (small, seeded) Fashion-MNIST learner: an exponential sweep from 1e-7 that stops once
/// the smoothed loss passes 4× its best, a valley suggestion taken from the recorded curve, the weights and running
/// statistics put back afterwards, and the loss it sweeps is the training loss (label-smoothed when asked).
/// </summary>
[Collection(TorchGlobalState.Name)]
public sealed class LrFinderTests
{
    [Fact]
    public async Task FindLearningRate_SweepsExponentially_StopsWhenTheLossExplodes_AndPutsTheWeightsBack()
    {
        using var setup = await LearnerSetup.CreateAsync(ResumeTests.Request(""), null, null, null, CancellationToken.None);
        setup.Learner.Freeze(true);
        var before = setup.Learner.Validate(CancellationToken.None);
        using var weights = new OwnedTensors(setup.Module.Snapshot());

        var result = setup.Learner.FindLearningRate();

        var rates = result.LearningRates;
        var losses = result.Losses;
        Assert.Equal(rates.Count, losses.Count);
        Assert.Equal(1e-7, rates[0], 15);
        var step = Math.Pow(10 / 1e-7, 1.0 / 99); // 100 steps from 1e-7 to 10
        Assert.All(Enumerable.Range(1, rates.Count - 1), i => Assert.Equal(step, rates[i] / rates[i - 1], 9));
        // AdamW at a learning rate near 1 wrecks the head: the sweep stops there instead of running on to 10.
        Assert.InRange(rates.Count, 20, 99);
        Assert.True(losses[^1] > 4 * losses.Min() || double.IsNaN(losses[^1]), $"stopped at loss {losses[^1]} (best {losses.Min()})");
        Assert.Equal(Learner.Valley(rates, losses), result.Valley);
        var valley = rates.ToList().IndexOf(result.Valley);
        Assert.True(losses[valley] < losses[0], "the suggestion is a rate at which the loss was falling below where it started");

        // The sweep trained the head; every parameter and running statistic is back as it was.
        using var after = new OwnedTensors(setup.Module.Snapshot());
        Assert.Equal(weights.Tensors.Keys.Order(), after.Tensors.Keys.Order());
        Assert.All(weights.Tensors, pair => Assert.True(pair.Value.eq(after.Tensors[pair.Key]).all().item<bool>(), pair.Key));
        Assert.Equal(before.Loss, setup.Learner.Validate(CancellationToken.None).Loss);
    }

    [Fact]
    public async Task FindLearningRate_WithLabelSmoothing_SweepsTheSmoothedLoss()
    {
        // The same seeded first batch through the same fresh model: the smoothed loss (1 − ε)·NLL + ε·U is linear in ε.
        var first = new Dictionary<double, double>();
        foreach (var epsilon in new[] { 0, 0.15, 0.3 })
        {
            var request = ResumeTests.Request("");
            request = request with { Training = request.Training with { LabelSmoothing = epsilon } };
            using var setup = await LearnerSetup.CreateAsync(request, null, null, null, CancellationToken.None);
            setup.Learner.Freeze(true);
            first[epsilon] = setup.Learner.FindLearningRate(iterations: 2).Losses[0];
        }

        Assert.True(Math.Abs(first[0.3] - first[0]) > 0.01, $"ε 0.3 swept {first[0.3]}, plain cross-entropy {first[0]}");
        Assert.Equal((first[0] + first[0.3]) / 2, first[0.15], 4);
    }
}
