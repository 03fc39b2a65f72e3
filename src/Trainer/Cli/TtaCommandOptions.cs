using System.CommandLine;
using Mic.Trainer.Data;

namespace Mic.Trainer.Cli;

/// <summary><c>tta</c>'s options: the bundle to wrap, the data to evaluate on (as for <c>train</c>), where the new bundle goes, packaging.</summary>
internal sealed class TtaCommandOptions
{
    private readonly TrainerOptions _data = new();

    public Argument<DirectoryInfo> Bundle { get; } = new("bundle") { Description = "The fp32 bundle folder `train` wrote (not its int8 folder)" };

    public Option<string?> Version { get; } = new("--model-version") { Description = "Version for the new manifest (default: the bundle's + '-tta-flip')" };

    public Option<string> Output { get; } = new("--output", "-o") { Description = "Folder for the new bundle (not the bundle's own)", Required = true };

    public PackagingCliOptions Packaging { get; } = new();

    public void AddTo(Command command)
    {
        command.Arguments.Add(Bundle);
        foreach (var option in new Option[] { _data.Data, _data.ValidPct, _data.Seed, _data.Exclude, _data.MaxTrain, _data.MaxValid, _data.S3ServiceUrl, Version, Output })
        {
            command.Options.Add(option);
        }

        Packaging.AddTo(command);
    }

    public IImageSource Source(ParseResult parse) => TrainerOptions.ImageSource(parse.GetValue(_data.Data)!, parse.GetValue(_data.S3ServiceUrl));

    /// <summary>How to load the data; the input size is the bundle's, set once it has been opened.</summary>
    public DatasetOptions Data(ParseResult parse) => new()
    {
        Input = null!,
        ValidFraction = parse.GetValue(_data.ValidPct),
        Seed = parse.GetValue(_data.Seed),
        Exclude = _data.ReadExclude(parse),
        MaxTrain = parse.GetValue(_data.MaxTrain),
        MaxValid = parse.GetValue(_data.MaxValid),
    };
}
