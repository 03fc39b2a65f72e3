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
        var onnx = new Option<FileInfo>("--onnx") { Description = "The classifier: float [N, 3, H, W] in, one score per class out", Required = true };
        var labels = new Option<FileInfo>("--labels") { Description = "Text file, one label per line, in the model's output order", Required = true };
        var normalization = new Option<string>("--normalization")
        {
            Description = "How the model expects pixels: imagenet, caffe-bgr, unit, or rgb:mean=…:std=… (as for train --normalization)",
            Required = true,
        };
        var size = new Option<int?>("--image-size") { Description = "Input size, when the model's own input size is not fixed" }.AtLeast(1);
        var version = new Option<string?>("--model-version") { Description = "Version for the manifest (default: UTC timestamp)" };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Bundle folder to write", Required = true };
        var bundle = new Command("bundle", "Wrap an ONNX classifier trained elsewhere into a MIC bundle (uint8 NHWC pixels in, probabilities out), ready for `publish`");
        foreach (var option in new Option[] { onnx, labels, normalization, size, version, output })
        {
            bundle.Options.Add(option);
        }

        // Unreadable files and models that cannot be wrapped are reported by CommandLine's error boundary (exit 2).
        bundle.SetAction(async (parse, _) =>
        {
            var names = File.ReadAllLines(parse.GetValue(labels)!.FullName).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            var pipeline = new TrainingPipeline(PipelineSteps.Bundle(parse.GetValue(onnx)!.FullName, names,
                Normalization.Parse(parse.GetValue(normalization)!), parse.GetValue(size)));
            using var run = new PipelineRun(new PipelineRequest { OutputDirectory = parse.GetValue(output)!.FullName, Version = parse.GetValue(version) });
            await pipeline.RunAsync(run, stop);
            var written = run.Candidate!.Written!;
            console.MarkupLine($"bundle: {Markup.Escape(written.Directory)} ({written.Manifest.Labels.Count} labels, {written.Manifest.Input.Width}x{written.Manifest.Input.Height}); publish it with `mic-train publish`");
            return 0;
        });
        root.Subcommands.Add(bundle);
    }
}
