using System.Globalization;
using System.Text.RegularExpressions;
using Mic.Core.Models;
using Mic.Trainer.Cli;
using Mic.Trainer.Training;
using Spectre.Console;

namespace Mic.Trainer.Tests.Cli;

/// <summary>
/// mic-train as a user runs it: a bad option value is a parse error naming the option, a bad path or dataset is one line
/// naming it (exit 2), never a stack trace, and nothing is written; a good command line trains and writes a bundle.
/// </summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--image-size", "0", "--image-size must be at least 32")]
    [InlineData("--batch-size", "1", "--batch-size must be at least 2")]
    [InlineData("--epochs", "-1", "--epochs must be at least 0")]
    [InlineData("--freeze-epochs", "-2", "--freeze-epochs must be at least 0")]
    [InlineData("--lr", "fast", "--lr must be a positive number (e.g. 2e-3) or 'auto' (got 'fast')")]
    [InlineData("--lr", "-1e-3", "--lr must be a positive number")]
    [InlineData("--wd", "2", "--wd must be at least 0 and at most 1 (got 2)")]
    [InlineData("--valid-pct", "0", "--valid-pct must be above 0 and at most 0.9 (got 0)")]
    [InlineData("--min-scale", "1.5", "--min-scale must be above 0 and at most 1 (got 1.5)")]
    [InlineData("--lr-mult", "0.5", "--lr-mult must be at least 1 and at most 1000000 (got 0.5)")]
    [InlineData("--label-smoothing", "0.6", "--label-smoothing must be at least 0 and at most 0.5 (got 0.6)")]
    [InlineData("--max-train", "0", "--max-train must be at least 1")]
    [InlineData("--threads", "0", "--threads must be at least 1")]
    [InlineData("--calibration-images", "0", "--calibration-images must be at least 1")]
    [InlineData("--min-accuracy", "95", "--min-accuracy must be at least 0 and at most 1 (got 95)")]
    public async Task Train_OptionOutOfRange_IsAParseErrorNamingTheOption(string option, string value, string expected)
    {
        using var output = new TempDirectory();
        var run = await RunAsync("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Combine("model"), option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output.Combine("model")));
    }

    [Fact]
    public async Task Train_NoEpochsAtAll_IsRefused()
    {
        using var output = new TempDirectory();
        var run = await RunAsync("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Combine("model"),
            "--epochs", "0", "--freeze-epochs", "0");

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains("nothing to train", run.Console, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output.Combine("model")));
    }

    [Fact]
    public async Task Train_MissingDataFolder_NamesItInOneLine()
    {
        using var output = new TempDirectory();
        var missing = output.Combine("no-such-photos");
        var run = await RunAsync("train", "--data", missing, "-o", output.Combine("model"));

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains($"error: dataset folder {missing} does not exist", run.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Console, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output.Combine("model")));
    }

    [Fact]
    public async Task Train_FolderWithOneClass_SaysTwoAreNeeded()
    {
        using var output = new TempDirectory();
        var data = Directory.CreateDirectory(output.Combine("photos/cats")).Parent!.FullName;
        File.Copy(TestAssets.Skimage("coffee.png"), Path.Combine(data, "cats", "a.png"));
        File.Copy(TestAssets.Skimage("chelsea.png"), Path.Combine(data, "cats", "b.png"));

        var run = await RunAsync("train", "--data", data, "-o", output.Combine("model"), "--image-size", "32");

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains("at least two are needed", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_MissingBackboneFile_NamesIt()
    {
        using var output = new TempDirectory();
        var backbone = output.Combine("resnet34.onnx");
        var run = await RunAsync("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Combine("model"),
            "--backbone", backbone, "--image-size", "32", "--max-train", "20", "--max-valid", "10");

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains($"{backbone} does not exist", run.Console, StringComparison.Ordinal);
        Assert.False(File.Exists(output.Combine("model/model.onnx")));
    }

    [Fact]
    public async Task Train_CudaOnACpuBuild_SaysWhyBeforeReadingData()
    {
        using var output = new TempDirectory();
        var missing = output.Combine("no-such-photos");
        var run = await RunAsync("train", "--data", missing, "-o", output.Combine("model"), "--device", "cuda");

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains("device 'cuda' asked for, but CUDA is not available: libtorch_cuda cannot be loaded (a libtorch-cpu build, or its CUDA libraries are missing)",
            run.Console.ReplaceLineEndings(" "), StringComparison.Ordinal);
        // The device is checked first: the missing data folder is never looked at.
        Assert.DoesNotContain("does not exist", run.Console, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output.Combine("model")));
    }

    [Fact]
    public async Task Train_ResumeWithoutCheckpoint_SaysThereIsNone()
    {
        using var output = new TempDirectory();
        var run = await RunAsync("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Path, "--image-size", "32",
            "--max-train", "20", "--max-valid", "10", "--resume");

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains($"--resume: no checkpoint in {Path.Combine(output.Path, "checkpoint")}", run.Console, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output.Path, "model.onnx")));
    }

    [Fact]
    public async Task Bundle_MissingLabelsFile_NamesIt()
    {
        using var output = new TempDirectory();
        var labels = output.Combine("labels.txt");
        var run = await RunAsync("bundle", "--onnx", output.Combine("model.onnx"), "--labels", labels, "--normalization", "imagenet",
            "-o", output.Combine("bundle"));

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains(labels, run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bundle_FileThatIsNotOnnx_IsAnInputErrorNotACrash()
    {
        using var output = new TempDirectory();
        var labels = output.Combine("labels.txt");
        File.WriteAllLines(labels, ["cat", "dog"]);
        var onnx = output.Combine("model.onnx");
        File.WriteAllText(onnx, "this is not a protobuf model");
        var run = await RunAsync("bundle", "--onnx", onnx, "--labels", labels, "--normalization", "imagenet", "-o", output.Combine("bundle"));

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains("error:", run.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Console, StringComparison.Ordinal);
        Assert.False(File.Exists(output.Combine("bundle/manifest.json")));
    }

    [Fact]
    public async Task Train_SmallRunFromTheCommandLine_WritesALoadableBundle()
    {
        using var output = new TempDirectory();
        var model = output.Combine("model");
        var run = await RunAsync("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", model, "--image-size", "32",
            "--max-train", "60", "--max-valid", "20", "--freeze-epochs", "1", "--epochs", "0", "--bs", "16", "--min-scale", "0.6",
            "--label-smoothing", "0.1", "--no-quantize", "--model-version", "cli-1");

        Assert.True(run.ExitCode == 0, run.Console);
        var bundle = ModelBundle.Load(model);
        Assert.Equal("cli-1", bundle.Manifest.Version);
        Assert.Equal(10, bundle.Manifest.Labels.Count);
        // Epochs are counted from 1, as in the console table and the report (one epoch ran, so it is the best).
        Assert.EndsWith("best epoch 1", bundle.Manifest.Training!.Schedule, StringComparison.Ordinal);
        Assert.Contains(", label smoothing 0.1,", bundle.Manifest.Training.Schedule, StringComparison.Ordinal);
        Assert.Contains("validation accuracy", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LrFind_FromTheCommandLine_WritesThePlotTheCurveAndTheValleyOfThatCurve()
    {
        using var output = new TempDirectory();
        var run = await RunAsync("lr-find", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Path, "--image-size", "32",
            "--max-train", "200", "--max-valid", "20", "--bs", "32", "--threads", "1", "--label-smoothing", "0.1");

        Assert.True(run.ExitCode == 0, run.Console);
        var plot = SixLabors.ImageSharp.Image.Identify(output.Combine("lr_find.png"));
        Assert.Equal((800, 500), (plot.Width, plot.Height));
        var lines = File.ReadAllLines(output.Combine("lr_find.csv"));
        Assert.Equal("lr,smoothed_loss", lines[0]);
        var rows = lines.Skip(1).Select(line => line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.True(rows.Length >= 20, $"{rows.Length} rows");
        Assert.Equal(1e-7, rows[0][0], 12);
        // The suggestion printed is fast.ai's valley of the curve written next to it.
        var valley = Learner.Valley(rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray());
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"suggested base learning rate (valley): {valley:G3}; plot: {output.Combine("lr_find.png")}"),
            run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_LrAuto_TrainsAtTheLrFindersValleyAndPlotsTheSweepInTheReport()
    {
        using var output = new TempDirectory();
        var run = await RunAsync("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Path, "--image-size", "32",
            "--max-train", "200", "--max-valid", "20", "--freeze-epochs", "1", "--epochs", "0", "--bs", "32", "--threads", "1",
            "--lr", "auto", "--no-quantize", "--model-version", "auto-1");

        Assert.True(run.ExitCode == 0, run.Console);
        var printed = Regex.Match(run.Console, @"lr finder valley: (\S+)");
        Assert.True(printed.Success, run.Console);
        Assert.Contains($", base lr {printed.Groups[1].Value}, ", ModelBundle.Load(output.Path).Manifest.Training!.Schedule, StringComparison.Ordinal);
        Assert.Contains("alt=\"lr finder\"", File.ReadAllText(output.Combine("report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_TtaFlip_ExportsAndQuantizesAModelThatAveragesOverTheMirror()
    {
        using var output = new TempDirectory();
        var run = await RunAsync("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Path, "--image-size", "32",
            "--max-train", "60", "--max-valid", "20", "--freeze-epochs", "1", "--epochs", "0", "--bs", "16", "--tta", "flip",
            "--calibration-images", "16", "--model-version", "tta-train-1");

        Assert.True(run.ExitCode == 0, run.Console);
        foreach (var folder in new[] { output.Path, output.Combine("int8") })
        {
            var bundle = ModelBundle.Load(folder);
            Assert.Equal("flip", bundle.Manifest.TestTimeAugmentation);
            Assert.True(TestTimeFlipProbe.IsApplied(bundle), folder);
        }

        // A bundle that already has it is not wrapped again.
        var again = await RunAsync("tta", output.Path, "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Combine("again"),
            "--max-train", "60", "--max-valid", "20");
        Assert.Equal(CommandLine.InputError, again.ExitCode);
        Assert.Contains("already averages over its mirror image", again.Console, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output.Combine("again")));
    }

    [Fact]
    public async Task Tta_OnATrainedBundle_WritesTheWrappedBundleEvaluatedBesideTheOriginal()
    {
        using var output = new TempDirectory();
        var model = output.Combine("model");
        var trained = await RunAsync("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", model, "--image-size", "32",
            "--max-train", "60", "--max-valid", "30", "--freeze-epochs", "1", "--epochs", "0", "--bs", "16", "--no-quantize",
            "--model-version", "plain-1");
        Assert.True(trained.ExitCode == 0, trained.Console);
        var original = ModelBundle.Load(model);
        Assert.Null(original.Manifest.TestTimeAugmentation);

        var run = await RunAsync("tta", model, "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Combine("tta"),
            "--max-train", "60", "--max-valid", "30", "--calibration-images", "16");

        Assert.True(run.ExitCode == 0, run.Console);
        var wrapped = ModelBundle.Load(output.Combine("tta"));
        Assert.Equal("plain-1-tta-flip", wrapped.Manifest.Version);
        Assert.Equal("flip", wrapped.Manifest.TestTimeAugmentation);
        Assert.True(TestTimeFlipProbe.IsApplied(wrapped));
        Assert.EndsWith("flip TTA added to plain-1 by mic-train tta", wrapped.Manifest.Training!.Schedule, StringComparison.Ordinal);
        Assert.Equal(original.Manifest.Training!.DatasetHash, wrapped.Manifest.Training.DatasetHash);
        // Both accuracies are printed, the original's as its own manifest recorded it on the same split.
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"validation accuracy (Mic.Core classifier, 30 images): {wrapped.Manifest.Metrics!.Accuracy:P2} with flip TTA, {original.Manifest.Metrics!.Accuracy:P2} without"),
            run.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("not the data the bundle was trained on", run.Console, StringComparison.Ordinal);
        var int8 = ModelBundle.Load(output.Combine("tta/int8"));
        Assert.Equal(("int8", "flip"), (int8.Manifest.Model.Precision, int8.Manifest.TestTimeAugmentation));
        Assert.True(TestTimeFlipProbe.IsApplied(int8));
        Assert.Contains("evaluation gate:", run.Console, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model/int8", "tta", "its model is int8; give the fp32 bundle")]
    [InlineData("model", "model", "is also the --output folder")]
    public async Task Tta_OnTheWrongFolder_SaysWhyAndWritesNothing(string bundle, string target, string expected)
    {
        using var output = new TempDirectory();
        var model = await TrainTinyAsync(output);
        var before = File.ReadAllBytes(Path.Combine(model, "manifest.json"));

        var run = await RunAsync("tta", output.Combine(bundle), "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", output.Combine(target),
            "--max-train", "30", "--max-valid", "10");

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains(expected, run.Console, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Console, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(model, "manifest.json")));
        Assert.False(Directory.Exists(output.Combine("tta")));
    }

    [Fact]
    public async Task Tta_OnDataWithOtherLabels_NamesBothAndWritesNothing()
    {
        using var output = new TempDirectory();
        var model = await TrainTinyAsync(output);
        var data = output.Combine("photos");
        foreach (var (label, photos) in new[] { ("cats", new[] { "chelsea.png", "coffee.png" }), ("dogs", new[] { "astronaut.png", "rocket.jpg" }) })
        {
            Directory.CreateDirectory(Path.Combine(data, label));
            foreach (var photo in photos)
            {
                File.Copy(TestAssets.Skimage(photo), Path.Combine(data, label, photo));
            }
        }

        var run = await RunAsync("tta", model, "--data", data, "--valid-pct", "0.5", "-o", output.Combine("tta"));

        Assert.Equal(CommandLine.InputError, run.ExitCode);
        Assert.Contains("are not the data's [cats, dogs]", run.Console, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output.Combine("tta")));
    }

    /// <summary>A bundle (fp32 and int8) from one frozen epoch on 30 Fashion-MNIST images at 32 px, in output/model.</summary>
    private static async Task<string> TrainTinyAsync(TempDirectory output)
    {
        var model = output.Combine("model");
        var trained = await RunAsync("train", "--data", "fashion-mnist:" + TestAssets.FashionMnist, "-o", model, "--image-size", "32",
            "--max-train", "30", "--max-valid", "10", "--freeze-epochs", "1", "--epochs", "0", "--bs", "16", "--calibration-images", "8");
        Assert.True(trained.ExitCode == 0, trained.Console);
        return model;
    }

    internal static async Task<CliRun> RunAsync(params string[] args)
    {
        var console = new StringWriter();
        var error = new StringWriter();
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        ansi.Profile.Width = 10_000; // one line per message, as in a log
        var code = await CommandLine.RunAsync(args, ansi, console, error, CancellationToken.None);
        return new CliRun(code, console.ToString(), error.ToString());
    }

    internal sealed record CliRun(int ExitCode, string Console, string Error);
}
