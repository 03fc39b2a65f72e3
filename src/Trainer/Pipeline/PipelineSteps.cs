using Mic.Trainer.Data;
using Mic.Trainer.Model;
using Mic.Trainer.Pipeline.Steps;
using Mic.Trainer.Training;

namespace Mic.Trainer.Pipeline;

/// <summary>
/// The step lists of the commands. Each list is new and yours to change: insert a step before another by its
/// <see cref="IPipelineStep.Name"/> (e.g. a champion-vs-challenger check before <c>publish</c>, a skip-if-unchanged
/// check first).
/// </summary>
public static class PipelineSteps
{
    /// <summary>The int8 bundle's folder inside the output folder.</summary>
    public const string Int8Folder = WriteBundleStep.Int8Folder;

    /// <summary>
    /// <c>train</c>: prepare data → fit → export → evaluate → report → write → (end if stopped) → quantize → evaluate →
    /// write <c>int8/</c> → gate → publish. Without <paramref name="quantize"/> the fp32 bundle is gated and published.
    /// </summary>
    public static List<IPipelineStep> Train(TrainRequest train, bool quantize = true) =>
    [
        new PrepareTrainingStep(train),
        new FitStep(train),
        new ExportStep(train),
        new EvaluateStep(),
        new ReportStep(),
        new WriteBundleStep(),
        new EndIfStoppedStep(),
        .. Packaging(quantize),
    ];

    /// <summary>
    /// <c>tta</c>: open the trained bundle → prepare data at its size → evaluate it and wrap it with flip TTA → evaluate
    /// → write → quantize, gate and publish as <see cref="Train"/> does.
    /// </summary>
    public static List<IPipelineStep> Tta(string bundleDirectory, IImageSource source, DatasetOptions data, bool quantize = true) =>
    [
        new OpenTtaSourceStep(bundleDirectory),
        new PrepareEvaluationDataStep(source, data),
        new FlipStep(),
        new EvaluateStep(),
        new WriteBundleStep(),
        .. Packaging(quantize),
    ];

    /// <summary><c>bundle</c>: import a classifier trained elsewhere → check it under the contract → write.</summary>
    public static List<IPipelineStep> Bundle(string onnxPath, IReadOnlyList<string> labels, Normalization normalization, int? imageSize) =>
    [
        new ImportExternalStep(onnxPath, labels, normalization, imageSize),
        new CheckContractStep(),
        new WriteBundleStep(),
    ];

    /// <summary><c>publish</c>: open a written bundle → gate on its recorded metrics → publish.</summary>
    public static List<IPipelineStep> Publish(string bundleDirectory) =>
    [
        new OpenBundleStep(bundleDirectory),
        new GateStep(),
        new PublishStep(),
    ];

    private static IEnumerable<IPipelineStep> Packaging(bool quantize) =>
        quantize
            ? [new QuantizeStep(), new EvaluateStep(), new WriteBundleStep(Int8Folder), new GateStep(), new PublishStep()]
            : [new GateStep(), new PublishStep()];
}
