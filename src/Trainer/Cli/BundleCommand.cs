using System.CommandLine;
using Mic.Trainer.Model;
using Mic.Trainer.Pipeline;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary><c>bundle</c>: package an ONNX classifier trained elsewhere so MIC can serve and publish it.</summary>
internal static class BundleCommand
{
    public static void AddTo(RootCommand root, IAnsiConsole console, CancellationToken stop)
    {
        var options = new BundleCommandOptions();
        var bundle = new Command("bundle", "Wrap an ONNX classifier trained elsewhere into a MIC bundle, ready for `publish`");
        options.AddTo(bundle);

        // Unreadable files and models that cannot be wrapped are reported by CommandLine's error boundary (exit 2).
        bundle.SetAction(async (parse, _) =>
        {
            var pipeline = new TrainingPipeline(PipelineSteps.Bundle(parse.GetValue(options.Onnx)!.FullName, options.ReadLabels(parse),
                Normalization.Parse(parse.GetValue(options.Normalization)!), parse.GetValue(options.ImageSize)));
            using var run = new PipelineRun(new PipelineRequest
            {
                OutputDirectory = parse.GetValue(options.Output)!.FullName,
                Version = parse.GetValue(options.Version),
            });
            await pipeline.RunAsync(run, stop);
            var written = run.Candidate!.Written!;
            console.MarkupLine($"bundle: {Markup.Escape(written.Directory)} ({written.Manifest.Labels.Count} labels, {written.Manifest.Input.Width}x{written.Manifest.Input.Height}); publish it with `mic-train publish`");
            return 0;
        });
        root.Subcommands.Add(bundle);
    }
}
