using Mic.Core.Imaging;
using Mic.Core.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Mic.Core.Inference;

/// <summary>
/// One ONNX Runtime session for one model bundle. The model takes <c>pixels</c>: uint8 <c>[N, H, W, 3]</c> RGB at the
/// manifest's input size, and returns <c>probabilities</c>: float <c>[N, C]</c> with C = the manifest's label count.
/// <see cref="Run"/> is safe to call concurrently; dispose only after every call has returned
/// (<see cref="Store.ModelHost"/> guarantees that while swapping models).
/// </summary>
public sealed class OnnxClassifier : IDisposable
{
    public const string InputName = "pixels";
    public const string OutputName = "probabilities";

    private readonly InferenceSession _session;

    private OnnxClassifier(ModelManifest manifest, InferenceSession session)
    {
        Manifest = manifest;
        _session = session;
    }

    public ModelManifest Manifest { get; }

    public int LabelCount => Manifest.Labels.Count;

    /// <summary>Bytes of one input sample: H × W × 3.</summary>
    public int SampleBytes => ImageResizer.InputBytes(Manifest.Input);

    /// <summary>Opens the bundle's model, checks its inputs and outputs against the manifest, and runs it once.</summary>
    /// <exception cref="ModelBundleException">The model does not obey the contract; the message says how.</exception>
    public static OnnxClassifier Load(ModelBundle bundle, ClassifierOptions? options = null) =>
        Load(bundle.Manifest, bundle.ModelPath, options => new InferenceSession(bundle.ModelPath, options), options);

    /// <summary>
    /// The same checks for a model still in memory (a bundle being built): <paramref name="model"/> is the ONNX file's
    /// bytes, <paramref name="source"/> names it in errors. The bytes are not kept.
    /// </summary>
    /// <exception cref="ModelBundleException">The model does not obey the contract; the message says how.</exception>
    public static OnnxClassifier Load(ModelManifest manifest, byte[] model, string source, ClassifierOptions? options = null) =>
        Load(manifest, source, options => new InferenceSession(model, options), options);

    private static OnnxClassifier Load(ModelManifest manifest, string source, Func<SessionOptions, InferenceSession> open,
        ClassifierOptions? options)
    {
        options ??= ClassifierOptions.Default;
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.GraphOptimization,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            IntraOpNumThreads = options.IntraOpThreads,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        if (options.OptimizedModelPath is { } optimized)
        {
            sessionOptions.OptimizedModelFilePath = optimized;
        }

        InferenceSession session;
        try
        {
            session = open(sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelBundleException($"{source}: ONNX Runtime cannot load the model: {e.Message}", e);
        }

        var classifier = new OnnxClassifier(manifest, session);
        try
        {
            classifier.CheckContract(source);
            classifier.WarmUp(source);
            return classifier;
        }
        catch
        {
            classifier.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="batch"/> samples laid out back to back in <paramref name="pixels"/> (NHWC uint8) and
    /// returns their probabilities, row-major <c>[batch, LabelCount]</c>. The memory is read in place, not copied;
    /// keep it alive and unchanged until this returns.
    /// </summary>
    public float[] Run(Memory<byte> pixels, int batch, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (pixels.Length < batch * SampleBytes)
        {
            throw new ArgumentException($"pixels hold {pixels.Length} bytes; {batch} samples need {batch * SampleBytes}", nameof(pixels));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var shape = new long[] { batch, Manifest.Input.Height, Manifest.Input.Width, 3 };
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels[..(batch * SampleBytes)], shape);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        try
        {
            using var outputs = _session.Run(runOptions, [InputName], [input], [OutputName]);
            var output = outputs[0];
            var dims = output.GetTensorTypeAndShape().Shape;
            if (dims.Length != 2 || dims[0] != batch || dims[1] != LabelCount)
            {
                throw new ModelBundleException(
                    $"model {Manifest.Version}: output '{OutputName}' has shape [{string.Join(", ", dims)}], expected [{batch}, {LabelCount}]");
            }

            return output.GetTensorDataAsSpan<float>().ToArray();
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>The <paramref name="top"/> most probable labels of one sample's probabilities, highest first.</summary>
    public IReadOnlyList<Prediction> Top(ReadOnlySpan<float> probabilities, int top)
    {
        var count = Math.Clamp(top, 1, LabelCount);
        var order = new int[probabilities.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = probabilities.ToArray();
        // Sort descending by probability; ties keep label order so answers are deterministic.
        Array.Sort(order, (a, b) => keys[b].CompareTo(keys[a]) is var c && c != 0 ? c : a.CompareTo(b));
        var result = new Prediction[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new Prediction(Manifest.Labels[order[i]], keys[order[i]]);
        }

        return result;
    }

    public void Dispose() => _session.Dispose();

    private void CheckContract(string path)
    {
        if (_session.InputMetadata.Count != 1 || !_session.InputMetadata.TryGetValue(InputName, out var input))
        {
            throw new ModelBundleException(
                $"{path}: the model must have exactly one input named '{InputName}' (it has: {string.Join(", ", _session.InputMetadata.Keys)})");
        }

        var dims = input.Dimensions;
        var height = Manifest.Input.Height;
        var width = Manifest.Input.Width;
        if (input.ElementDataType != TensorElementType.UInt8 || dims.Length != 4 || dims[3] != 3
            || (dims[1] != -1 && dims[1] != height) || (dims[2] != -1 && dims[2] != width))
        {
            throw new ModelBundleException(
                $"{path}: input '{InputName}' is {input.ElementDataType} [{string.Join(", ", dims)}]; the contract is uint8 [N, {height}, {width}, 3] (RGB, NHWC)");
        }

        if (!_session.OutputMetadata.TryGetValue(OutputName, out var output))
        {
            throw new ModelBundleException(
                $"{path}: the model has no output named '{OutputName}' (it has: {string.Join(", ", _session.OutputMetadata.Keys)})");
        }

        var outDims = output.Dimensions;
        if (output.ElementDataType != TensorElementType.Float || outDims.Length != 2)
        {
            throw new ModelBundleException(
                $"{path}: output '{OutputName}' is {output.ElementDataType} [{string.Join(", ", outDims)}]; the contract is float [N, C]");
        }

        if (outDims[1] != -1 && outDims[1] != LabelCount)
        {
            throw new ModelBundleException(
                $"{path}: the model outputs {outDims[1]} classes but the manifest lists {LabelCount} labels");
        }
    }

    // The first Run allocates ORT's arenas and JITs the managed path; pay that at load, not on a user's request.
    // It also checks a symbolic class dimension against the label count.
    private void WarmUp(string path)
    {
        var pixels = new byte[SampleBytes];
        try
        {
            Run(pixels, 1);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelBundleException($"{path}: the model fails on a blank image: {e.Message}", e);
        }
        catch (ModelBundleException e)
        {
            throw new ModelBundleException($"{path}: {e.Message}", e);
        }
    }
}
