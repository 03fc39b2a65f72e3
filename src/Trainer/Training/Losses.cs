using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Mic.Trainer.Training;

/// <summary>The loss the learner trains and validates with.</summary>
internal static class Losses
{
    /// <summary>
    /// Cross-entropy against targets smoothed towards the uniform distribution (fast.ai's
    /// <c>LabelSmoothingCrossEntropy</c>, PyTorch's <c>label_smoothing</c>): (1 − ε)·NLL + ε·mean over classes of
    /// −log p. With <paramref name="smoothing"/> 0 it is plain cross-entropy.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, double smoothing, nn.Reduction reduction = nn.Reduction.Mean)
    {
        if (smoothing == 0)
        {
            return F.cross_entropy(logits, targets, reduction: reduction);
        }

        var logProbabilities = F.log_softmax(logits, 1);
        var nll = F.nll_loss(logProbabilities, targets, reduction: reduction);
        var uniform = logProbabilities.mean([1L]).neg();
        uniform = reduction switch
        {
            nn.Reduction.Mean => uniform.mean(),
            nn.Reduction.Sum => uniform.sum(),
            _ => uniform,
        };
        return nll.mul(1 - smoothing).add(uniform.mul(smoothing));
    }
}
