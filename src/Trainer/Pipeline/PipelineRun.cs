using System.Diagnostics;
using System.Globalization;
using Mic.Core.Models;
using Mic.Quantization;
using Mic.Trainer.Data;
using Mic.Trainer.Export;
using Mic.Trainer.Packaging;
using Mic.Trainer.Training;

namespace Mic.Trainer.Pipeline;

/// <summary>
/// The state of one run, handed from step to step: what the request asked for, and what each step has produced so
/// far (null until that step runs). Owns the learner and its TorchSharp module: dispose the run when done. Not
/// thread-safe: steps run one at a time.
/// </summary>
public sealed class PipelineRun : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public PipelineRun(PipelineRequest request, IPipelineObserver? observer = null)
    {
        Request = request;
        Observer = observer ?? NullPipelineObserver.Instance;
        Version = request.Version ?? DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
    }

    public PipelineRequest Request { get; }

    public IPipelineObserver Observer { get; }

    /// <summary>
    /// The version every bundle of this run gets: the request's; without one, the UTC time the run started, unless a
    /// step derives a better default (<c>tta</c>: the wrapped bundle's version + <c>-tta-flip</c>).
    /// </summary>
    public string Version { get; set; }

    /// <summary>Seconds since the run started.</summary>
    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>Called after every finished epoch of the fit step, in order.</summary>
    public IList<IEpochHook> EpochHooks { get; } = [];

    /// <summary>The data: training split (fit, calibration) and validation split (evaluation).</summary>
    public Dataset? Dataset { get; set; }

    /// <summary>The network being trained, its learner and where it runs (from the prepare step).</summary>
    internal LearnerSetup? Learner { get; set; }

    /// <summary>The trained bundle a run starts from (<c>--init-from</c>), or the bundle <c>tta</c> wraps.</summary>
    public ModelBundle? StartFrom { get; set; }

    /// <summary><see cref="StartFrom"/>'s evaluation on this run's validation split, when a step computed it.</summary>
    public Evaluation? StartFromEvaluation { get; set; }

    public FitResult? Fit { get; set; }

    /// <summary>The float model: exported after fitting, wrapped by <c>tta</c>, or imported by <c>bundle</c>.</summary>
    public BundleDraft? Fp32 { get; set; }

    /// <summary>The bundle to gate and publish: the int8 one once quantized, else <see cref="Fp32"/>.</summary>
    public BundleDraft? Candidate { get; set; }

    public QuantizationReport? Quantization { get; set; }

    public GateDecision? Gate { get; set; }

    /// <summary>Where <see cref="Candidate"/> was published (the store's location); null when nothing was.</summary>
    public string? PublishedTo { get; set; }

    /// <summary>The dataset, or an exception naming the step that should have loaded it.</summary>
    public Dataset RequireDataset(string step) => Dataset ?? throw Missing(step, "data");

    public BundleDraft RequireFp32(string step) => Fp32 ?? throw Missing(step, "an fp32 model");

    public BundleDraft RequireCandidate(string step) => Candidate ?? throw Missing(step, "a model");

    public void Dispose() => Learner?.Dispose();

    internal static InvalidOperationException Missing(string step, string what) =>
        new($"pipeline step '{step}' needs {what}, which no earlier step produced");
}
