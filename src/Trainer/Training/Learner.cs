using System.Diagnostics;
using Mic.Trainer.Data;
using Mic.Trainer.Model;
using Mic.Trainer.OnnxToTorch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mic.Trainer.Training;

/// <summary>
/// fast.ai's <c>Learner</c> for an imported contract graph: <see cref="FineTune"/>, <see cref="FitOneCycle"/>,
/// <see cref="FindLearningRate"/>, with AdamW, weight decay (not on BatchNorm or biases), three layer groups
/// (two halves of the backbone, then the head) for discriminative learning rates, and the best epoch (lowest
/// validation loss) kept as a snapshot. Not thread-safe; owns nothing it was given.
/// </summary>
public sealed class Learner
{
    private const int Groups = 3;
    private const string Frozen = "frozen";
    private const string Unfrozen = "unfrozen";
    private readonly OnnxGraphModule _module;
    private readonly Dataset _data;
    private readonly TrainingOptions _options;
    private readonly ITrainingObserver _observer;
    private readonly Device _device;
    private readonly Augmenter _augmenter;
    private readonly List<(Parameter Parameter, int Group, bool Decay, bool AlwaysTrain)> _parameters = [];
    private Random _shuffle;
    private int _epochsRun;

    public Learner(OnnxGraphModule module, Dataset data, TrainingOptions options, ITrainingObserver? observer, Device device)
    {
        _module = module;
        _data = data;
        _options = options;
        _observer = observer ?? NullTrainingObserver.Instance;
        _device = device;
        _augmenter = new Augmenter(options.Augmentation, options.Seed);
        _shuffle = new Random(options.Seed);

        var body = module.Initializers
            .Where(i => i.Kind == OnnxInitializerKind.Parameter && !i.OnnxName.StartsWith(ClassifierGraph.HeadPrefix, StringComparison.Ordinal))
            .OrderBy(i => i.FirstUse)
            .ToArray();
        var middle = body.Length == 0 ? 0 : body[body.Length / 2].FirstUse;
        foreach (var initializer in module.Initializers.Where(i => i.Kind == OnnxInitializerKind.Parameter))
        {
            var head = initializer.OnnxName.StartsWith(ClassifierGraph.HeadPrefix, StringComparison.Ordinal);
            var group = head ? 2 : initializer.FirstUse < middle ? 0 : 1;
            var parameter = module.Parameter(initializer);
            var isNorm = initializer.ConsumerOp == "BatchNormalization";
            // fast.ai: no weight decay on BatchNorm and biases; BatchNorm stays trainable when the body is frozen.
            _parameters.Add((parameter, group, Decay: !isNorm && parameter.dim() > 1, AlwaysTrain: head || isNorm));
        }
    }

    public List<EpochResult> History { get; } = [];

    /// <summary>Every training batch's loss, in order, for the loss plot.</summary>
    public List<double> BatchLosses { get; } = [];

    /// <summary>Parameters and statistics of the epoch with the lowest validation loss so far (CPU copies).</summary>
    public Dictionary<string, Tensor>? Best { get; private set; }

    public EpochResult? BestEpoch { get; private set; }

    /// <summary>Called after every finished epoch with its phase, the finished epochs in that phase and the optimizer.</summary>
    public Action<string, int, OptimizerHelper>? EpochFinished { get; set; }

    /// <summary>Puts the learner where <paramref name="checkpoint"/> left off: weights, best epoch, epoch table, batch losses.</summary>
    private void RestoreFrom(Checkpoint checkpoint)
    {
        using (var weights = new OwnedTensors(checkpoint.ReadModule()))
        {
            _module.Restore(weights.Tensors);
        }

        DisposeBest();
        Best = checkpoint.ReadBest();
        BestEpoch = checkpoint.State.BestEpoch;
        History.Clear();
        History.AddRange(checkpoint.State.History);
        BatchLosses.Clear();
        BatchLosses.AddRange(checkpoint.State.BatchLosses);
        _epochsRun = History.Count;
    }

    /// <summary>
    /// fast.ai <c>fine_tune</c>: <paramref name="freezeEpochs"/> of head-only training at <paramref name="baseLr"/>
    /// (one cycle, pct_start 0.99), then unfreeze and <paramref name="epochs"/> at base/2 spread over the layer groups
    /// from base/(2·LrMult) to base/2.
    /// <paramref name="resume"/>: continue from a checkpoint's last finished epoch (its weights, epoch table, position
    /// in the schedule and AdamW's moments).
    /// </summary>
    public void FineTune(int epochs, double baseLr, int freezeEpochs, CancellationToken cancellationToken, Checkpoint? resume = null)
    {
        if (resume is not null)
        {
            RestoreFrom(resume);
        }

        var frozenDone = resume is null ? 0 : resume.State.Phase == Frozen ? resume.State.PhaseEpochsDone : freezeEpochs;
        var unfrozenDone = resume?.State.Phase == Unfrozen ? resume.State.PhaseEpochsDone : 0;
        if (freezeEpochs > frozenDone)
        {
            Freeze(true);
            FitOneCycle(Frozen, freezeEpochs, SliceTo(baseLr), pctStart: 0.99, div: 25, cancellationToken, frozenDone,
                frozenDone > 0 ? resume : null);
        }

        baseLr /= 2;
        Freeze(false);
        if (epochs > unfrozenDone)
        {
            FitOneCycle(Unfrozen, epochs, OneCycle.EvenMultiples(baseLr / _options.LrMult, baseLr, Groups), _options.PctStart,
                _options.Div, cancellationToken, unfrozenDone, unfrozenDone > 0 ? resume : null);
        }
    }

    public void Freeze(bool frozen)
    {
        foreach (var (parameter, _, _, alwaysTrain) in _parameters)
        {
            parameter.requires_grad = alwaysTrain || !frozen;
        }
    }

    /// <summary>
    /// fast.ai <c>fit_one_cycle</c>. <paramref name="startEpoch"/> &gt; 0 continues a cycle from a checkpoint, whose
    /// AdamW state <paramref name="optimizerState"/> holds.
    /// </summary>
    public void FitOneCycle(string phase, int epochs, double[] lrMax, double pctStart, double div, CancellationToken cancellationToken,
        int startEpoch = 0, Checkpoint? optimizerState = null)
    {
        var optimizer = CreateOptimizer(lrMax, out var groups);
        optimizerState?.LoadOptimizer(optimizer);
        var batches = (_data.Train.Count + _options.BatchSize - 1) / _options.BatchSize;
        var total = epochs * batches;
        var step = startEpoch * batches;
        for (var epoch = startEpoch; epoch < epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _observer.EpochStarted(phase, epoch, epochs, batches);
            var start = Stopwatch.GetTimestamp();
            _module.train();
            // Each epoch's shuffling, augmentation and dropout come from its own seeded stream.
            var epochSeed = unchecked((_options.Seed * 1_000_003) + _epochsRun);
            _shuffle = new Random(epochSeed);
            _augmenter.Reseed(epochSeed);
            random.manual_seed(epochSeed);
            var order = Enumerable.Range(0, _data.Train.Count).ToArray();
            _shuffle.Shuffle(order);
            double lossSum = 0;
            var seen = 0;
            for (var b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var position = (double)step++ / total;
                for (var g = 0; g < groups.Count; g++)
                {
                    groups[g].Group.LearningRate = lrMax[groups[g].Layer] * OneCycle.LearningRateFactor(position, pctStart, div, _options.DivFinal);
                    groups[g].Group.Betas = (OneCycle.Momentum(position, pctStart), 0.99);
                }

                var indices = order.AsSpan(b * _options.BatchSize, Math.Min(_options.BatchSize, order.Length - (b * _options.BatchSize)));
                // A batch of 1 cannot train BatchNorm; fast.ai drops the last partial batch for the same reason.
                if (indices.Length < 2)
                {
                    continue;
                }

                using var scope = NewDisposeScope();
                var x = _augmenter.Apply(Batch(_data.Train, indices));
                var y = Targets(_data.Train, indices);
                var loss = Losses.CrossEntropy(_module.Run(x, ClassifierGraph.Logits), y, _options.LabelSmoothing);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                var value = loss.item<float>();
                BatchLosses.Add(value);
                lossSum += value * indices.Length;
                seen += indices.Length;
                _observer.BatchCompleted(b + 1, batches, value, seen / Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            var trainSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var validation = Validate(cancellationToken);
            var result = new EpochResult(phase, _epochsRun++, lossSum / Math.Max(1, seen), validation.Loss, validation.ErrorRate,
                Stopwatch.GetElapsedTime(start).TotalSeconds, seen / trainSeconds);
            History.Add(result);
            if (BestEpoch is null || result.ValidLoss <= BestEpoch.ValidLoss)
            {
                DisposeBest();
                Best = _module.Snapshot();
                BestEpoch = result;
            }

            EpochFinished?.Invoke(phase, epoch + 1, optimizer);
            _observer.EpochCompleted(result);
        }
    }

    /// <summary>
    /// Runs the validation split through the module in eval mode (no augmentation). Its loss is the training loss
    /// (label-smoothed when <see cref="TrainingOptions.LabelSmoothing"/> is set, as fast.ai's valid_loss is), so the
    /// best epoch is picked by the objective the run optimises.
    /// </summary>
    public ValidationResult Validate(CancellationToken cancellationToken = default)
    {
        _module.eval();
        using var noGrad = no_grad();
        var set = _data.Valid;
        var classes = set.Labels.Count;
        var probabilities = new float[set.Count * classes];
        double lossSum = 0;
        var errors = 0;
        var batch = _options.BatchSize * 2;
        var all = Enumerable.Range(0, set.Count).ToArray();
        for (var start = 0; start < set.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var indices = all.AsSpan(start, Math.Min(batch, set.Count - start));
            var logits = _module.Run(Batch(set, indices).to_type(ScalarType.Float32), ClassifierGraph.Logits);
            var y = Targets(set, indices);
            lossSum += Losses.CrossEntropy(logits, y, _options.LabelSmoothing, nn.Reduction.Sum).item<float>();
            errors += (int)logits.argmax(1).ne(y).sum().item<long>();
            logits.softmax(1).cpu().data<float>().CopyTo(probabilities.AsSpan(start * classes, indices.Length * classes));
        }

        return new ValidationResult(lossSum / Math.Max(1, set.Count), (double)errors / Math.Max(1, set.Count), probabilities, classes);
    }

    /// <summary>
    /// fast.ai <c>lr_find</c>: an exponential sweep from <paramref name="startLr"/> to <paramref name="endLr"/> over
    /// <paramref name="iterations"/> batches (stopping once the smoothed loss exceeds 4× its best), then the weights are
    /// restored. Runs with the current freeze state.
    /// </summary>
    public LrFinderResult FindLearningRate(double startLr = 1e-7, double endLr = 10, int iterations = 100,
        CancellationToken cancellationToken = default)
    {
        var snapshot = _module.Snapshot();
        try
        {
            var optimizer = CreateOptimizer(Enumerable.Repeat(startLr, Groups).ToArray(), out var groups);
            _module.train();
            var rates = new List<double>();
            var losses = new List<double>();
            double smooth = 0, best = double.MaxValue;
            var order = Enumerable.Range(0, _data.Train.Count).ToArray();
            var batchSize = Math.Min(_options.BatchSize, Math.Max(2, order.Length));
            for (var i = 0; i < iterations; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i * batchSize % order.Length < batchSize)
                {
                    _shuffle.Shuffle(order);
                }

                var lr = startLr * Math.Pow(endLr / startLr, (double)i / (iterations - 1));
                foreach (var (group, _) in groups)
                {
                    group.LearningRate = lr;
                }

                var from = i * batchSize % Math.Max(1, order.Length - batchSize + 1);
                using var scope = NewDisposeScope();
                var indices = order.AsSpan(from, Math.Min(batchSize, order.Length - from));
                var loss = Losses.CrossEntropy(_module.Run(_augmenter.Apply(Batch(_data.Train, indices)), ClassifierGraph.Logits),
                    Targets(_data.Train, indices), _options.LabelSmoothing);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                var value = loss.item<float>();
                smooth = (0.98 * smooth) + (0.02 * value);
                var debiased = smooth / (1 - Math.Pow(0.98, i + 1));
                rates.Add(lr);
                losses.Add(debiased);
                _observer.BatchCompleted(i + 1, iterations, debiased, 0);
                best = Math.Min(best, debiased);
                if (debiased > 4 * best || double.IsNaN(debiased))
                {
                    break;
                }
            }

            return new LrFinderResult(rates, losses, Valley(rates, losses));
        }
        finally
        {
            _module.Restore(snapshot);
            foreach (var tensor in snapshot.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>fast.ai's valley: the longest run of decreasing loss; suggest a point 1/2 of the way down it.</summary>
    public static double Valley(IReadOnlyList<double> rates, IReadOnlyList<double> losses)
    {
        var n = losses.Count;
        if (n == 0)
        {
            throw new ArgumentException("no losses recorded", nameof(losses));
        }

        var lengths = Enumerable.Repeat(1, n).ToArray();
        int maxStart = 0, maxEnd = 0;
        for (var i = 1; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (losses[i] < losses[j] && lengths[i] < lengths[j] + 1)
                {
                    lengths[i] = lengths[j] + 1;
                }

                if (lengths[maxEnd] < lengths[i])
                {
                    maxEnd = i;
                    maxStart = maxEnd - lengths[maxEnd];
                }
            }
        }

        var sections = (maxEnd - maxStart) / 3.0;
        var index = Math.Clamp(maxStart + (int)sections + (int)(sections / 2), 0, n - 1);
        return rates[index];
    }

    private double[] SliceTo(double lr) => [lr / 10, lr / 10, lr];

    private OptimizerHelper CreateOptimizer(double[] lrs, out List<(AdamW.ParamGroup Group, int Layer)> groups)
    {
        groups = [];
        foreach (var layer in Enumerable.Range(0, Groups))
        {
            foreach (var decay in new[] { true, false })
            {
                var members = _parameters.Where(p => p.Group == layer && p.Decay == decay).Select(p => p.Parameter).ToArray();
                if (members.Length > 0)
                {
                    groups.Add((new AdamW.ParamGroup(members, lrs[layer], OneCycle.MomentumHigh, 0.99, 1e-5, decay ? _options.WeightDecay : 0), layer));
                }
            }
        }

        return optim.AdamW(groups.Select(g => g.Group), lrs[^1]);
    }

    private Tensor Batch(ImageSet set, ReadOnlySpan<int> indices)
    {
        var bytes = new byte[indices.Length * set.SampleBytes];
        for (var i = 0; i < indices.Length; i++)
        {
            set.Sample(indices[i]).Span.CopyTo(bytes.AsSpan(i * set.SampleBytes));
        }

        return tensor(bytes, [indices.Length, set.Input.Height, set.Input.Width, 3]).to(_device);
    }

    private Tensor Targets(ImageSet set, ReadOnlySpan<int> indices)
    {
        var targets = new long[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            targets[i] = set.Targets[indices[i]];
        }

        return tensor(targets).to(_device);
    }

    private void DisposeBest()
    {
        if (Best is null)
        {
            return;
        }

        foreach (var tensor in Best.Values)
        {
            tensor.Dispose();
        }
    }
}
