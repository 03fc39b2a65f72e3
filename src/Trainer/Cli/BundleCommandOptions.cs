using System.CommandLine;

namespace Mic.Trainer.Cli;

/// <summary><c>bundle</c>'s options: the ONNX classifier trained elsewhere, its labels and preprocessing, where the bundle goes.</summary>
internal sealed class BundleCommandOptions
{
    public Option<FileInfo> Onnx { get; } = new("--onnx") { Description = "The classifier: float [N, 3, H, W] in, one score per class out", Required = true };

    public Option<FileInfo> Labels { get; } = new("--labels") { Description = "Text file, one label per line, in the model's output order", Required = true };

    public Option<string> Normalization { get; } = new("--normalization")
    {
        Description = "How the model expects pixels: imagenet, caffe-bgr, unit or rgb:mean=…:std=…",
        Required = true,
    };

    public Option<int?> ImageSize { get; } = new Option<int?>("--image-size") { Description = "Input size, when the model's own is not fixed" }.AtLeast(1);

    public Option<string?> Version { get; } = new("--model-version") { Description = "Version for the manifest (default: UTC timestamp)" };

    public Option<DirectoryInfo> Output { get; } = new("--output", "-o") { Description = "Bundle folder to write", Required = true };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Onnx, Labels, Normalization, ImageSize, Version, Output })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The labels file's non-empty lines, trimmed.</summary>
    public string[] ReadLabels(ParseResult parse) =>
        File.ReadAllLines(parse.GetValue(Labels)!.FullName).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
}
