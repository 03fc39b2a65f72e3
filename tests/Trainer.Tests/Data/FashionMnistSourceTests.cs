using Mic.Core.Models;
using Mic.Trainer.Data;

namespace Mic.Trainer.Tests.Data;

/// <summary>
/// Fashion-MNIST's subsets against the real IDX files: settings are tuned on a split held out of the 60,000 training
/// images and the 10,000 test images are read only to report.
/// </summary>
public sealed class FashionMnistSourceTests
{
    [Fact]
    public async Task LoadAsync_TrainSubset_HoldsOutValidPctOfEachClassAndNoTestImage()
    {
        var dataset = await LoadAsync(FashionMnistSubset.Train, new DatasetOptions { Input = Input, ValidFraction = 0.2, Seed = 7 });

        Assert.Equal(48_000, dataset.Train.Count);
        Assert.Equal(12_000, dataset.Valid.Count);
        // 6,000 images a class, 20 % of each held out.
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1_200, dataset.Valid.Targets.Count(t => t == c)));
        Assert.Empty(dataset.Train.Ids.Intersect(dataset.Valid.Ids, StringComparer.Ordinal));
        var all = dataset.Train.Ids.Concat(dataset.Valid.Ids).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(0, 60_000).Select(i => $"fashion-mnist/train/{i:D5}").ToHashSet(StringComparer.Ordinal), all);
        Assert.Equal("fashion-mnist-train (" + TestAssets.FashionMnist + ")", dataset.Description);
    }

    [Fact]
    public async Task LoadAsync_TrainSubsetSameSeed_SameSplit_OtherSeedAnother()
    {
        var options = new DatasetOptions { Input = Input, ValidFraction = 0.25, Seed = 11, MaxTrain = 3_000 };

        var first = await LoadAsync(FashionMnistSubset.Train, options);
        var again = await LoadAsync(FashionMnistSubset.Train, options);
        var reseeded = await LoadAsync(FashionMnistSubset.Train, options with { Seed = 12 });

        Assert.Equal(first.Valid.Ids, again.Valid.Ids);
        Assert.Equal(first.Train.Ids, again.Train.Ids);
        Assert.Equal(first.Hash, again.Hash);
        Assert.NotEqual(first.Valid.Ids, reseeded.Valid.Ids);
        // --max-train caps the training images; a quarter of the sample is held out on top, per class.
        Assert.Equal(3_000, first.Train.Count);
        Assert.Equal(1_000, first.Valid.Count);
        Assert.All(first.Train.Ids.Concat(first.Valid.Ids), id => Assert.StartsWith("fashion-mnist/train/", id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_TrainSubsetBothCaps_TrainsOnMaxTrainAndValidatesOnMaxValid()
    {
        var dataset = await LoadAsync(FashionMnistSubset.Train,
            new DatasetOptions { Input = Input, ValidFraction = 0.2, Seed = 5, MaxTrain = 1_000, MaxValid = 500 });

        Assert.Equal(1_000, dataset.Train.Count);
        Assert.Equal(500, dataset.Valid.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(50, dataset.Valid.Targets.Count(t => t == c)));
        Assert.Empty(dataset.Train.Ids.Intersect(dataset.Valid.Ids, StringComparer.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_TrainSubsetMaxValidOnly_HoldsOutFewerAndTrainsOnTheRest()
    {
        var dataset = await LoadAsync(FashionMnistSubset.Train, new DatasetOptions { Input = Input, ValidFraction = 0.2, Seed = 5, MaxValid = 1_000 });

        Assert.Equal(1_000, dataset.Valid.Count);
        Assert.Equal(59_000, dataset.Train.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(100, dataset.Valid.Targets.Count(t => t == c)));
    }

    [Fact]
    public async Task LoadAsync_TestSubset_AllTestImagesToEvaluateAndNothingToTrainOn()
    {
        var dataset = await LoadAsync(FashionMnistSubset.Test, new DatasetOptions { Input = Input });

        Assert.Equal(0, dataset.Train.Count);
        Assert.Equal(10_000, dataset.Valid.Count);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1_000, dataset.Valid.Targets.Count(t => t == c)));
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => $"fashion-mnist/test/{i:D5}"), dataset.Valid.Ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LoadAsync_TestSubset_SamePixelsAndLabelsAsTheOfficialValidationSplit()
    {
        var test = await LoadAsync(FashionMnistSubset.Test, new DatasetOptions { Input = Input });
        var official = await LoadAsync(FashionMnistSubset.Official, new DatasetOptions { Input = Input, MaxTrain = 100 });

        Assert.Equal(official.Valid.Ids, test.Valid.Ids);
        Assert.Equal(official.Valid.Targets, test.Valid.Targets);
        Assert.Equal(official.Valid.Pixels, test.Valid.Pixels);
        Assert.All(official.Train.Ids, id => Assert.StartsWith("fashion-mnist/train/", id, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fashion-mnist", FashionMnistSubset.Official, FashionMnistSource.DefaultDirectory)]
    [InlineData("fashion-mnist:/data/fm", FashionMnistSubset.Official, "/data/fm")]
    [InlineData("fashion-mnist-train", FashionMnistSubset.Train, FashionMnistSource.DefaultDirectory)]
    [InlineData("fashion-mnist-train:relative/dir", FashionMnistSubset.Train, "relative/dir")]
    [InlineData("fashion-mnist-test:/data/fm", FashionMnistSubset.Test, "/data/fm")]
    public void TryParse_BuiltInName_SelectsSubsetAndDirectory(string data, FashionMnistSubset subset, string directory)
    {
        Assert.True(FashionMnistSource.TryParse(data, out var source));

        Assert.Equal(subset, source.Subset);
        Assert.EndsWith($" ({directory})", source.Description, StringComparison.Ordinal);
        Assert.StartsWith(data.Split(':')[0] + " ", source.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fashion-mnist-tests")]
    [InlineData("fashion-mnist-trainer:/x")]
    [InlineData("photos/fashion-mnist")]
    [InlineData("s3://bucket/fashion-mnist")]
    public void TryParse_OtherData_IsNotBuiltIn(string data)
    {
        Assert.False(FashionMnistSource.TryParse(data, out var source));
        Assert.Null(source);
    }

    [Fact]
    public async Task ListAsync_MissingDirectory_NamesTheMissingFile()
    {
        using var empty = new TempDirectory();

        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => new FashionMnistSource(empty.Path, FashionMnistSubset.Train).ListAsync(CancellationToken.None));

        Assert.Contains(Path.Combine(empty.Path, "train-images-idx3-ubyte.gz"), error.Message, StringComparison.Ordinal);
    }

    // The images stay 28×28: no resampling work, the split logic is what is under test.
    private static ModelInput Input { get; } = new(28, 28, ResizePolicy.ShorterSideThenCenterCrop);

    private static Task<Dataset> LoadAsync(FashionMnistSubset subset, DatasetOptions options) =>
        DatasetLoader.LoadAsync(new FashionMnistSource(TestAssets.FashionMnist, subset), options, null, CancellationToken.None);
}
