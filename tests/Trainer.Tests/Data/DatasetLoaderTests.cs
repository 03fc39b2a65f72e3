using Mic.Core.Models;
using Mic.Trainer.Data;

namespace Mic.Trainer.Tests.Data;

/// <summary>Folder datasets of real photos, with the kind of junk real folders contain.</summary>
public sealed class DatasetLoaderTests
{
    private static readonly ModelInput Input = new(32, 32, ResizePolicy.ShorterSideThenCenterCrop);

    [Fact]
    public async Task LoadAsync_FolderWithBadFiles_SkipsAndListsThemAndLoadsTheRest()
    {
        using var root = new TempDirectory();
        Copy(root, "bikes", "motorcycle_left.png", "motorcycle_right.png", "astronaut.png");
        Copy(root, "cats", "chelsea.png", "coffee.png", "rocket.jpg");
        File.WriteAllText(root.Combine("cats", "notes.txt"), "not an image");
        var truncated = File.ReadAllBytes(TestAssets.Skimage("chelsea.png"));
        File.WriteAllBytes(root.Combine("bikes", "truncated.png"), truncated[..(truncated.Length / 2)]);
        File.WriteAllBytes(root.Combine("bikes", "empty.jpg"), []);

        var dataset = await DatasetLoader.LoadAsync(new FolderImageSource(root.Path), new DatasetOptions { Input = Input, ValidFraction = 0.34, Seed = 3 },
            null, CancellationToken.None);

        Assert.Equal(["bikes", "cats"], dataset.Labels);
        Assert.Equal(["bikes/empty.jpg", "bikes/truncated.png", "cats/notes.txt"], dataset.Skipped.Select(s => s.Id));
        Assert.All(dataset.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
        Assert.Equal(6, dataset.Train.Count + dataset.Valid.Count);
        // Stratified: each class gives one of its three images to validation.
        Assert.Equal([0, 1], dataset.Valid.Targets.Order());
        Assert.Equal(32 * 32 * 3 * dataset.Train.Count, dataset.Train.Pixels.Length);
    }

    [Fact]
    public async Task LoadAsync_SameSeed_SameSplitAndHash_ExcludeChangesBoth()
    {
        using var root = new TempDirectory();
        Copy(root, "a", "motorcycle_left.png", "motorcycle_right.png", "astronaut.png", "camera.png");
        Copy(root, "b", "chelsea.png", "coffee.png", "rocket.jpg", "horse.png");
        Copy(root, "b", "chelsea.png"); // a byte-identical copy under another name
        File.Copy(TestAssets.Skimage("chelsea.png"), root.Combine("b", "chelsea-copy.png"));
        var options = new DatasetOptions { Input = Input, Seed = 9 };
        var source = new FolderImageSource(root.Path);

        var first = await DatasetLoader.LoadAsync(source, options, null, CancellationToken.None);
        var second = await DatasetLoader.LoadAsync(source, options, null, CancellationToken.None);
        var excluded = await DatasetLoader.LoadAsync(source, options with { Exclude = new HashSet<string> { "b/chelsea-copy.png" } }, null,
            CancellationToken.None);

        Assert.Equal(first.Valid.Ids, second.Valid.Ids);
        Assert.Equal(first.Hash, second.Hash);
        Assert.Contains(first.Duplicates, group => group.SequenceEqual(["b/chelsea-copy.png", "b/chelsea.png"]));
        Assert.NotEqual(first.Hash, excluded.Hash);
        Assert.Empty(excluded.Duplicates);
        Assert.Contains(excluded.Skipped, s => s.Id == "b/chelsea-copy.png" && s.Reason.Contains("exclude", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadExcludeFile_SuspectsFormat_ReadsIdsAndIgnoresComments()
    {
        using var root = new TempDirectory();
        var path = root.Combine("suspects.txt");
        File.WriteAllLines(path, ["# review me", "a/one.jpg\tlabelled a, model says b (97 %)", "", "b/two.png"]);

        var ids = DatasetLoader.ReadExcludeFile(path);

        Assert.Equal(["a/one.jpg", "b/two.png"], ids.Order(StringComparer.Ordinal));
    }

    private static void Copy(TempDirectory root, string label, params string[] photos)
    {
        Directory.CreateDirectory(root.Combine(label));
        foreach (var photo in photos)
        {
            File.Copy(TestAssets.Skimage(photo), root.Combine(label, photo), overwrite: true);
        }
    }
}
