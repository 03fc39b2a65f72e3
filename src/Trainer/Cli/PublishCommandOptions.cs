using System.CommandLine;
using Mic.Trainer.Packaging;

namespace Mic.Trainer.Cli;

/// <summary><c>publish</c>'s options: the bundle, the store, and the gate.</summary>
internal sealed class PublishCommandOptions
{
    public Argument<DirectoryInfo> Bundle { get; } = new("bundle") { Description = "A bundle folder (model.onnx + manifest.json), e.g. <train output>/int8" };

    public StoreOptions Store { get; } = new();

    public Option<double?> MinAccuracy { get; } = new Option<double?>("--min-accuracy")
    {
        Description = "Refuse to publish below this accuracy (0..1), from the manifest's metrics",
    }.Within(0, 1, minIncluded: true);

    public Option<double> MaxAccuracyDrop { get; } = new Option<double>("--max-accuracy-drop")
    {
        Description = "Refuse an int8 bundle more than this many points below its fp32 accuracy",
        DefaultValueFactory = _ => new PackagingOptions().MaxAccuracyDropPoints,
    }.Within(0, 100, minIncluded: true);

    public void AddTo(Command command)
    {
        command.Arguments.Add(Bundle);
        Store.AddTo(command);
        command.Options.Add(MinAccuracy);
        command.Options.Add(MaxAccuracyDrop);
    }

    public PackagingOptions Gate(ParseResult parse) =>
        new() { MaxAccuracyDropPoints = parse.GetValue(MaxAccuracyDrop), MinAccuracy = parse.GetValue(MinAccuracy) };
}
