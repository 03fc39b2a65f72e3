using System.CommandLine;
using Mic.Trainer.Export;
using Mic.Trainer.Training;

namespace Mic.Trainer.Cli;

/// <summary><c>train</c>'s options: the data and model ones it shares with <c>lr-find</c>, the schedule, and packaging.</summary>
internal sealed class TrainCommandOptions
{
    public TrainerOptions Shared { get; } = new();

    public PackagingCliOptions Packaging { get; } = new();

    public Option<int> Epochs { get; } = new Option<int>("--epochs", "-e")
    {
        Description = "Epochs after unfreezing (fast.ai fine_tune's epochs)",
        DefaultValueFactory = _ => 4,
    }.AtLeast(0);

    public Option<int> FreezeEpochs { get; } = new Option<int>("--freeze-epochs")
    {
        Description = "Head-only epochs with the backbone frozen, first",
        DefaultValueFactory = _ => 1,
    }.AtLeast(0);

    /// <summary>Parsed once, by the option itself; read it with <see cref="OptionRules.LearningRateOrAuto"/>.</summary>
    public Option<double> LearningRate { get; } = new Option<double>("--lr")
    {
        Description = "Base learning rate, or 'auto' for the lr finder's suggestion (valley)",
        DefaultValueFactory = _ => 2e-3,
        HelpName = "RATE|auto",
    }.LearningRate();

    public Option<double> WeightDecay { get; } = new Option<double>("--wd")
    {
        Description = "AdamW weight decay (not applied to BatchNorm or biases)",
        DefaultValueFactory = _ => 0.01,
    }.Within(0, 1, minIncluded: true);

    public Option<double> LrMult { get; } = new Option<double>("--lr-mult")
    {
        Description = "Earliest layers train at lr/lr-mult after unfreezing; smaller adapts the body more",
        DefaultValueFactory = _ => new TrainingOptions().LrMult,
    }.Within(1, 1e6, minIncluded: true);

    public Option<string?> Version { get; } = new("--model-version") { Description = "Version written in the manifest (default: UTC timestamp)" };

    public Option<bool> Resume { get; } = new("--resume")
    {
        Description = "Continue from the checkpoint in --output (same options; one is kept after every epoch)",
    };

    public Option<string?> InitFrom { get; } = new("--init-from")
    {
        Description = "Start from a trained fp32 bundle instead of the pretrained backbone (same labels)",
        HelpName = "BUNDLE",
    };

    public Option<string> Tta { get; } = new Option<string>("--tta")
    {
        Description = "Test-time augmentation built into the model: none, or flip (image and mirror averaged)",
        DefaultValueFactory = _ => "none",
    }.AcceptOnlyFromAmong("none", TestTimeFlip.Name);

    public void AddTo(Command command)
    {
        Shared.AddTo(command);
        foreach (var option in new Option[] { Epochs, FreezeEpochs, LearningRate, WeightDecay, LrMult, Version, Resume, InitFrom, Tta })
        {
            command.Options.Add(option);
        }

        Packaging.AddTo(command);
    }

    /// <summary>The run these options ask for.</summary>
    public TrainRequest Read(ParseResult parse)
    {
        var request = Shared.Read(parse);
        return request with
        {
            Version = parse.GetValue(Version),
            Resume = parse.GetValue(Resume),
            InitFrom = parse.GetValue(InitFrom),
            FlipTta = parse.GetValue(Tta) == TestTimeFlip.Name,
            Training = request.Training with
            {
                Epochs = parse.GetValue(Epochs),
                FreezeEpochs = parse.GetValue(FreezeEpochs),
                WeightDecay = parse.GetValue(WeightDecay),
                LrMult = parse.GetValue(LrMult),
                BaseLearningRate = parse.LearningRateOrAuto(LearningRate),
            },
        };
    }
}
