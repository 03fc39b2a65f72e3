using Mic.Core.Inference;
using Mic.Core.Models;
using Mic.Trainer.Data;

namespace Mic.Trainer.Export;

/// <summary>
/// The exported model's answers on the validation split, computed by Mic.Core's <c>OnnxClassifier</c> (the code the
/// function serves with). <see cref="Probabilities"/> is row-major [Count, Classes].
/// </summary>
public sealed class Evaluation
{
    public Evaluation(IReadOnlyList<string> labels, int[] targets, float[] probabilities)
    {
        Labels = labels;
        Targets = targets;
        Probabilities = probabilities;
        var classes = labels.Count;
        Predicted = new int[targets.Length];
        Confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        for (var i = 0; i < targets.Length; i++)
        {
            var row = probabilities.AsSpan(i * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                best = row[c] > row[best] ? c : best;
            }

            Predicted[i] = best;
            Confusion[targets[i]][best]++;
        }

        Accuracy = targets.Length == 0 ? 0 : (double)Enumerable.Range(0, targets.Length).Count(i => Predicted[i] == targets[i]) / targets.Length;
        PerClass = Enumerable.Range(0, classes).Select(c =>
        {
            var truePositive = Confusion[c][c];
            var predicted = Confusion.Sum(row => row[c]);
            var support = Confusion[c].Sum();
            return new ClassMetrics(labels[c], predicted == 0 ? 0 : (double)truePositive / predicted, support == 0 ? 0 : (double)truePositive / support, support);
        }).ToArray();
    }

    /// <summary>Runs every image of <paramref name="set"/> through <paramref name="classifier"/>, in batches.</summary>
    public static Evaluation Run(OnnxClassifier classifier, ImageSet set, CancellationToken cancellationToken)
    {
        const int Batch = 64;
        var classes = classifier.LabelCount;
        var probabilities = new float[set.Count * classes];
        for (var start = 0; start < set.Count; start += Batch)
        {
            var count = Math.Min(Batch, set.Count - start);
            var output = classifier.Run(set.Pixels.AsMemory(start * set.SampleBytes, count * set.SampleBytes), count, cancellationToken);
            output.CopyTo(probabilities, start * classes);
        }

        return new Evaluation(set.Labels, set.Targets, probabilities);
    }

    public IReadOnlyList<string> Labels { get; }

    public int[] Targets { get; }

    public float[] Probabilities { get; }

    public int[] Predicted { get; }

    /// <summary>Row = actual, column = predicted.</summary>
    public int[][] Confusion { get; }

    public double Accuracy { get; }

    public IReadOnlyList<ClassMetrics> PerClass { get; }

    public float Probability(int sample, int label) => Probabilities[(sample * Labels.Count) + label];

    /// <summary>Cross-entropy of one sample: −log p(actual).</summary>
    public double Loss(int sample) => -Math.Log(Math.Max(Probability(sample, Targets[sample]), 1e-12));

    /// <summary>The <paramref name="count"/> samples with the highest loss, worst first.</summary>
    public int[] TopLosses(int count) =>
        Enumerable.Range(0, Targets.Length).OrderByDescending(Loss).ThenBy(i => i).Take(count).ToArray();

    /// <summary>(actual, predicted, count) off the diagonal, most frequent first.</summary>
    public IReadOnlyList<(string Actual, string Predicted, int Count)> MostConfused(int minimum = 1) =>
        Enumerable.Range(0, Labels.Count)
            .SelectMany(a => Enumerable.Range(0, Labels.Count).Where(p => p != a).Select(p => (Labels[a], Labels[p], Confusion[a][p])))
            .Where(t => t.Item3 >= minimum)
            .OrderByDescending(t => t.Item3)
            .ToArray();

    public ModelMetrics ToMetrics() => new()
    {
        Accuracy = Accuracy,
        AccuracyFp32 = Accuracy,
        PerClass = PerClass,
        Confusion = Confusion.Select(row => (IReadOnlyList<int>)row).ToArray(),
    };
}
