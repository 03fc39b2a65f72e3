using System.Globalization;
using Mic.Trainer.Pipeline;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary>Prints what a pipeline run did after its own steps' lines — quantization, gate, publishing — and maps its outcome to an exit code.</summary>
internal static class PipelineConsole
{
    /// <summary>Exit code of a run whose model was refused (the gate, a damaged bundle): nothing was published.</summary>
    public const int Refused = 3;

    public const int Stopped = 130;

    public static int Finish(IAnsiConsole console, PipelineRun run, PipelineOutcome outcome)
    {
        if (run.Quantization is { } report && run.Fp32 is { Evaluation: { } fp32 } && run.Candidate is { Evaluation: { } int8 } candidate)
        {
            static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MB";
            var table = new Table().AddColumns("model", "validation accuracy", "file");
            table.AddRow("fp32", fp32.Accuracy.ToString("P2", CultureInfo.InvariantCulture), Mb(run.Fp32.Manifest.Model.Bytes));
            table.AddRow("int8", int8.Accuracy.ToString("P2", CultureInfo.InvariantCulture), Mb(candidate.Manifest.Model.Bytes));
            table.Caption(string.Create(CultureInfo.InvariantCulture,
                $"{report.QuantizedConv} Conv, {report.QuantizedGemm} Gemm, {report.QuantizedAdd} Add quantized; calibration top-1 agreement {report.Top1Agreement:P1}"));
            console.Write(table);
        }

        if (run.Gate is { } gate)
        {
            console.MarkupLine(gate.Passed
                ? $"evaluation gate: passed — {Markup.Escape(gate.Reason)}"
                : $"[red]evaluation gate: refused[/] — {Markup.Escape(gate.Reason)}; not published");
        }

        switch (outcome.Status)
        {
            case PipelineStatus.Refused:
                if (run.Gate is not { Passed: false })
                {
                    console.MarkupLine($"[red]not published:[/] {Markup.Escape(outcome.Reason)}");
                }

                return Refused;
            case PipelineStatus.Stopped:
                console.MarkupLine($"[yellow]{Markup.Escape(outcome.Reason)}[/]");
                return Stopped;
            case PipelineStatus.Skipped:
                console.MarkupLine($"skipped: {Markup.Escape(outcome.Reason)}");
                return 0;
        }

        if (run.PublishedTo is { } store && run.Candidate is { } published)
        {
            console.MarkupLine($"published [bold]{Markup.Escape(published.Manifest.Version)}[/] ({published.Precision}) to {Markup.Escape(store)}; it is live");
        }
        else if (run.Gate is not null && run.Candidate?.Written is { } written)
        {
            console.MarkupLine($"to publish: mic-train publish {Markup.Escape(written.Directory)} --store <model store>");
        }

        return 0;
    }
}
