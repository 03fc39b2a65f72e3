using Mic.Trainer.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Mic.Trainer.Tests.Training;

/// <summary>
/// --label-smoothing: the smoothed cross-entropy against the same loss written out by hand (targets (1 − ε)·one-hot
/// + ε/C, loss −Σ target·log softmax), no smoothing is exactly libtorch's cross-entropy, and a real run with
/// smoothing reports the smoothed loss as its valid_loss.
/// </summary>
[Collection(TorchGlobalState.Name)]
public sealed class LossesTests
{
    private static readonly float[,] Logits =
    {
        { 2.0f, -1.0f, 0.5f, 0.0f },
        { -0.3f, 0.8f, 0.1f, 3.0f },
        { 9.0f, -4.0f, -4.0f, -4.0f }, // confident and right: smoothing still charges it for the other classes
    };

    private static readonly long[] Targets = [0, 2, 0];

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    public void CrossEntropy_Smoothed_MatchesTheSmoothedTargetsWrittenOut(double epsilon)
    {
        using var logits = tensor(Logits);
        using var targets = tensor(Targets);

        using var mean = Losses.CrossEntropy(logits, targets, epsilon);
        using var sum = Losses.CrossEntropy(logits, targets, epsilon, nn.Reduction.Sum);

        var expected = Enumerable.Range(0, Targets.Length).Select(i => ByHand(i, epsilon)).ToArray();
        Assert.Equal(expected.Average(), mean.item<float>(), 5);
        Assert.Equal(expected.Sum(), sum.item<float>(), 5);
        Assert.True(ByHand(2, epsilon) > ByHand(2, 0) + 0.1, "a confident right answer costs more under smoothing");
    }

    [Fact]
    public void CrossEntropy_NoSmoothing_IsLibtorchsCrossEntropy()
    {
        using var logits = tensor(Logits);
        using var targets = tensor(Targets);

        using var ours = Losses.CrossEntropy(logits, targets, 0);
        using var theirs = F.cross_entropy(logits, targets);

        Assert.Equal(theirs.item<float>(), ours.item<float>());
        Assert.Equal(Enumerable.Range(0, Targets.Length).Select(i => ByHand(i, 0)).Average(), ours.item<float>(), 5);
    }

    [Fact]
    public async Task Train_WithLabelSmoothing_ValidatesWithTheSmoothedLoss()
    {
        using var output = new TempDirectory();
        var request = ResumeTests.Request(output.Path);
        request = request with { Training = request.Training with { Epochs = 0, LabelSmoothing = 0.2 } };

        var outcome = await TrainRuns.RunAsync(request, null, CancellationToken.None);

        // valid_loss (and so the best-epoch choice) is the smoothed loss of the module's own probabilities, as in fast.ai.
        var validation = outcome.ModuleValidation!;
        var targets = outcome.Dataset.Valid.Targets;
        var rows = Enumerable.Range(0, targets.Length)
            .Select(i => validation.Probabilities.AsSpan(i * validation.Classes, validation.Classes).ToArray().Select(p => Math.Log(p)).ToArray())
            .ToArray();
        var smoothed = Enumerable.Range(0, targets.Length).Sum(i => SmoothedTargetsLoss(rows[i], targets[i], 0.2));
        var plain = Enumerable.Range(0, targets.Length).Sum(i => SmoothedTargetsLoss(rows[i], targets[i], 0));

        Assert.Equal(smoothed / targets.Length, validation.Loss, 3);
        Assert.True(Math.Abs((plain / targets.Length) - validation.Loss) > 0.01, "the smoothed loss is not plain cross-entropy");
        Assert.Equal(validation.Loss, outcome.History[^1].ValidLoss, 5);
    }

    private static double ByHand(int row, double epsilon)
    {
        var classes = Logits.GetLength(1);
        var max = Enumerable.Range(0, classes).Max(c => Logits[row, c]);
        var logSumExp = max + Math.Log(Enumerable.Range(0, classes).Sum(c => Math.Exp(Logits[row, c] - max)));
        return SmoothedTargetsLoss(Enumerable.Range(0, classes).Select(c => Logits[row, c] - logSumExp).ToArray(), Targets[row], epsilon);
    }

    /// <summary>−Σ target_c · log p_c with targets (1 − ε)·one-hot + ε/C.</summary>
    private static double SmoothedTargetsLoss(double[] logProbabilities, long target, double epsilon)
    {
        double loss = 0;
        for (var c = 0; c < logProbabilities.Length; c++)
        {
            loss -= ((c == target ? 1 - epsilon : 0) + (epsilon / logProbabilities.Length)) * logProbabilities[c];
        }

        return loss;
    }
}
