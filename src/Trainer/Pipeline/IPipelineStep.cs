namespace Mic.Trainer.Pipeline;

/// <summary>
/// One step of a <see cref="TrainingPipeline"/>: prepare data, fit, export, evaluate, report, quantize, write, gate,
/// publish, or a step of your own.
/// <para>How to add a step:</para>
/// <list type="number">
/// <item>Write an <c>internal sealed</c> class in <c>Pipeline/Steps/</c> (or your feature's folder) that takes its
/// settings in its constructor and keeps no state between runs.</item>
/// <item>Read what earlier steps left on the <see cref="PipelineRun"/> (<see cref="PipelineRun.Dataset"/>,
/// <see cref="PipelineRun.Fit"/>, <see cref="PipelineRun.Fp32"/>, <see cref="PipelineRun.Candidate"/>, …) and
/// leave your result there; throw <see cref="InvalidOperationException"/> when a step you need did not run (a wrong
/// step list is a bug). Work on the in-memory drafts: never re-read a model the run already holds.</item>
/// <item>Return <see cref="StepResult.Next"/> to go on, or <see cref="StepResult.End"/> with a
/// <see cref="PipelineOutcome"/> to end the run early and say why: <see cref="PipelineOutcome.Skipped"/> (nothing to
/// do, e.g. the dataset is unchanged), <see cref="PipelineOutcome.Refused"/> (a check failed, e.g. the challenger
/// is worse than the live model: nothing is published), <see cref="PipelineOutcome.Stopped"/> (the user stopped it).
/// Problems with the user's input are exceptions (<see cref="InvalidDataException"/>,
/// <see cref="Mic.Core.Models.ModelBundleException"/>), which the CLI reports in one line.</item>
/// <item>Pass the cancellation token on to every I/O call and long loop; a step that must finish once
/// started (writing the best epoch of a stopped run) says so in its doc comment.</item>
/// <item>Add the step to a list in <see cref="PipelineSteps"/> (or your own list) where its inputs exist; to act at
/// every finished epoch, add an <see cref="IEpochHook"/> to <see cref="PipelineRun.EpochHooks"/> before the fit step.</item>
/// </list>
/// </summary>
public interface IPipelineStep
{
    /// <summary>Short lower-case name shown while the step runs (<c>quantize</c>, <c>publish</c>).</summary>
    string Name { get; }

    Task<StepResult> RunAsync(PipelineRun run, CancellationToken cancellationToken);
}
