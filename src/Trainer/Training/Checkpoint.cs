using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mic.Trainer.Training;

/// <summary>
/// The state of a <c>train</c> run after its last finished epoch, so <c>--resume</c> can continue where Ctrl+C, a
/// SIGTERM (spot instance) or a crash stopped it: the weights, the best epoch's weights, AdamW's moments, the epoch
/// table, the batch losses and where the run is in fast.ai's schedule. Written to <c>&lt;output&gt;/checkpoint</c>
/// after every epoch (into a temporary folder, then swapped in, so a crash while writing leaves the previous one) and
/// removed when the run finishes. The per-epoch random streams are derived from the seed and the epoch number, so a
/// resumed run draws what the uninterrupted run would have drawn.
/// </summary>
public sealed class Checkpoint
{
    public const string FolderName = "checkpoint";
    private const string StateFile = "state.json";
    private const string ModuleFile = "module.bin";
    private const string BestFile = "best.bin";
    private const string OptimizerFile = "optimizer.bin";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private Checkpoint(string directory, CheckpointState state)
    {
        Directory = directory;
        State = state;
    }

    public string Directory { get; }

    public CheckpointState State { get; }

    public static string PathIn(string outputDirectory) => Path.Combine(outputDirectory, FolderName);

    /// <summary>
    /// Writes a run's state after an epoch, replacing any earlier checkpoint. When the finished epoch is the best one,
    /// pass the same dictionary as <paramref name="module"/> and <paramref name="best"/>: it is written once.
    /// </summary>
    public static void Save(string outputDirectory, CheckpointState state, IReadOnlyDictionary<string, Tensor> module,
        IReadOnlyDictionary<string, Tensor> best, OptimizerHelper optimizer)
    {
        var target = PathIn(outputDirectory);
        var temporary = target + ".tmp";
        var old = target + ".old";
        DeleteIfExists(temporary);
        System.IO.Directory.CreateDirectory(temporary);
        WriteTensors(Path.Combine(temporary, ModuleFile), module);
        if (!ReferenceEquals(module, best))
        {
            WriteTensors(Path.Combine(temporary, BestFile), best);
        }

        WriteOptimizer(Path.Combine(temporary, OptimizerFile), optimizer);
        File.WriteAllText(Path.Combine(temporary, StateFile), JsonSerializer.Serialize(state, Json));
        DeleteIfExists(old);
        if (System.IO.Directory.Exists(target))
        {
            System.IO.Directory.Move(target, old);
        }

        System.IO.Directory.Move(temporary, target);
        DeleteIfExists(old);
    }

    /// <summary>Opens the checkpoint in <paramref name="outputDirectory"/> and checks it was made with the same settings.</summary>
    public static Checkpoint Open(string outputDirectory, string fingerprint)
    {
        var directory = PathIn(outputDirectory);
        var stateFile = Path.Combine(directory, StateFile);
        if (!File.Exists(stateFile))
        {
            throw new InvalidDataException($"--resume: no checkpoint in {directory} (a run writes one after each finished epoch)");
        }

        CheckpointState state;
        try
        {
            state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(stateFile))
                ?? throw new InvalidDataException($"{stateFile}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{stateFile}: not a checkpoint ({e.Message})", e);
        }

        if (state.Fingerprint != fingerprint)
        {
            throw new InvalidDataException(
                $"--resume: the checkpoint in {directory} was made with other settings or data ({state.Fingerprint}); this run has ({fingerprint})");
        }

        return new Checkpoint(directory, state);
    }

    public static void Remove(string outputDirectory) => DeleteIfExists(PathIn(outputDirectory));

    public Dictionary<string, Tensor> ReadModule() => ReadTensors(Path.Combine(Directory, ModuleFile));

    /// <summary>The best epoch's weights (the module's own when the last finished epoch was the best).</summary>
    public Dictionary<string, Tensor> ReadBest() =>
        ReadTensors(Path.Combine(Directory, File.Exists(Path.Combine(Directory, BestFile)) ? BestFile : ModuleFile));

    /// <summary>Copies AdamW's saved moments and step counts into <paramref name="optimizer"/>'s own state (keeping its strides).</summary>
    public void LoadOptimizer(OptimizerHelper optimizer)
    {
        using var saved = new OwnedTensors(ReadTensors(Path.Combine(Directory, OptimizerFile)));
        var states = AdamStates(optimizer);
        var steps = saved.Tensors["steps"].data<long>().ToArray();
        if (steps.Length != states.Count)
        {
            throw new InvalidDataException($"{Directory}: the optimizer state holds {steps.Length} parameters; the model has {states.Count}");
        }

        using var noGrad = no_grad();
        for (var i = 0; i < states.Count; i++)
        {
            states[i].step = steps[i];
            states[i].exp_avg.copy_(saved.Tensors[$"{i}.exp_avg"]);
            states[i].exp_avg_sq.copy_(saved.Tensors[$"{i}.exp_avg_sq"]);
        }
    }

    // TorchSharp's own save_state_dict refuses the channels_last moments of channels_last weights, so the moments are
    // written as contiguous copies here and copied back into the live state on load.
    private static void WriteOptimizer(string path, OptimizerHelper optimizer)
    {
        var states = AdamStates(optimizer);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var steps = tensor(states.Select(s => s.step).ToArray());
        tensors["steps"] = steps;
        for (var i = 0; i < states.Count; i++)
        {
            tensors[$"{i}.exp_avg"] = states[i].exp_avg;
            tensors[$"{i}.exp_avg_sq"] = states[i].exp_avg_sq;
        }

        WriteTensors(path, tensors);
    }

    private static void DeleteIfExists(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    private static List<AdamW.State> AdamStates(OptimizerHelper optimizer) =>
        [.. optimizer.state_dict().State.Select(s => s as AdamW.State
            ?? throw new NotSupportedException($"checkpoints hold AdamW state, not {s.GetType().Name}"))];

    private static void WriteTensors(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(tensors.Count);
        foreach (var (name, value) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            using var cpu = value.detach().cpu().contiguous();
            writer.Write(name);
            writer.Write((int)cpu.dtype);
            writer.Write(cpu.shape.Length);
            foreach (var dimension in cpu.shape)
            {
                writer.Write(dimension);
            }

            var bytes = cpu.bytes;
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
    }

    private static Dictionary<string, Tensor> ReadTensors(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var count = reader.ReadInt32();
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var dtype = (ScalarType)reader.ReadInt32();
            var shape = new long[reader.ReadInt32()];
            for (var d = 0; d < shape.Length; d++)
            {
                shape[d] = reader.ReadInt64();
            }

            var bytes = reader.ReadBytes(reader.ReadInt32());
            var value = empty(shape, dtype);
            value.bytes = bytes;
            result[name] = value.DetachFromDisposeScope();
        }

        return result;
    }
}

/// <summary>What <see cref="Checkpoint"/> keeps besides tensors.</summary>
public sealed record CheckpointState
{
    /// <summary>Settings and data identity the run must match to resume (dataset hash, size, schedule, seed…).</summary>
    public required string Fingerprint { get; init; }

    public required double BaseLearningRate { get; init; }

    /// <summary>"frozen" or "unfrozen": the phase of the last finished epoch.</summary>
    public required string Phase { get; init; }

    /// <summary>Finished epochs within <see cref="Phase"/>.</summary>
    public required int PhaseEpochsDone { get; init; }

    public required List<EpochResult> History { get; init; }

    public required List<double> BatchLosses { get; init; }

    public required EpochResult BestEpoch { get; init; }
}
