using System.Globalization;
using Mic.Core.Models;
using Mic.Trainer.Data;
using Mic.Trainer.Export;
using Mic.Trainer.Packaging;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary>After <c>train</c> and <c>tta</c>: quantize to int8 and evaluate both models, apply the gate, publish when asked.</summary>
internal static class PackagingStep
{
    public const string Int8Folder = "int8";

    /// <summary>
    /// <paramref name="evaluation"/> is the fp32 bundle's on <paramref name="dataset"/>'s validation split; the
    /// dataset's training split calibrates the int8 model and its validation split evaluates it.
    /// </summary>
    public static async Task<int> RunAsync(IAnsiConsole console, ModelBundle fp32, Evaluation evaluation, Dataset dataset,
        PackagingCliOptions.Values packaging, CancellationToken stop)
    {
        var candidate = fp32;
        var gate = GateDecision.Check(evaluation.Accuracy, null, packaging.Options.MaxAccuracyDropPoints, packaging.Options.MinAccuracy);
        if (packaging.Quantize)
        {
            console.MarkupLine($"quantizing to int8 with {packaging.Options.CalibrationImages} calibration images…");
            var packaged = ModelPackager.Package(fp32, dataset.Train, dataset.Valid,
                Path.Combine(fp32.Directory, Int8Folder), packaging.Options, stop, evaluation);
            console.Write(Summary(fp32, packaged));
            candidate = packaged.Bundle;
            gate = packaged.Gate;
        }

        if (!gate.Passed)
        {
            console.MarkupLine($"[red]evaluation gate: refused[/] — {Markup.Escape(gate.Reason)}; nothing was published");
            return StoreCommands.Refused;
        }

        console.MarkupLine($"evaluation gate: passed — {Markup.Escape(gate.Reason)}");
        if (packaging.PublishTo is not { } target)
        {
            console.MarkupLine($"to publish: mic-train publish {Markup.Escape(candidate.Directory)} --store <model store>");
            return 0;
        }

        using var opened = StoreOptions.Open(target, packaging.PublishS3ServiceUrl);
        return await StoreCommands.PublishAsync(console, opened.Store, candidate.Directory, packaging.Options.MaxAccuracyDropPoints,
            packaging.Options.MinAccuracy, stop);
    }

    private static Table Summary(ModelBundle fp32, PackagingOutcome packaged)
    {
        static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MB";
        var table = new Table().AddColumns("model", "validation accuracy", "file");
        table.AddRow("fp32", packaged.Fp32.Accuracy.ToString("P2", CultureInfo.InvariantCulture), Mb(fp32.Manifest.Model.Bytes));
        table.AddRow("int8", packaged.Int8.Accuracy.ToString("P2", CultureInfo.InvariantCulture), Mb(packaged.Bundle.Manifest.Model.Bytes));
        table.Caption(string.Create(CultureInfo.InvariantCulture,
            $"{packaged.Report.QuantizedConv} Conv, {packaged.Report.QuantizedGemm} Gemm, {packaged.Report.QuantizedAdd} Add quantized; calibration top-1 agreement {packaged.Report.Top1Agreement:P1}"));
        return table;
    }
}
