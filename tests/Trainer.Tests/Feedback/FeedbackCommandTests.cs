using Mic.Core.Store;
using Mic.Trainer.Cli;
using Mic.Trainer.Tests.Cli;

namespace Mic.Trainer.Tests.Feedback;

/// <summary><c>mic-train review</c> and <c>accept</c> on the command line, with a folder store (the laptop quickstart's).</summary>
public sealed class FeedbackCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Review_FolderStore_PrintsTheKeysAndWritesThePage()
    {
        var store = Store();
        var key = await PutAsync(store, "red");

        var (code, output) = await RunAsync("review", "--store", store.Root, "-o", _temp.Combine("page.html"));

        Assert.Equal(0, code);
        Assert.Contains(key, output, StringComparison.Ordinal);
        Assert.Contains("1 image(s)", output, StringComparison.Ordinal);
        Assert.Contains(key, await File.ReadAllTextAsync(_temp.Combine("page.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_All_MovesLabelledImagesIntoTheDataset()
    {
        var store = Store();
        var key = await PutAsync(store, "red");
        await PutAsync(store, FeedbackLayout.Unlabelled);

        var (code, output) = await RunAsync("accept", "--store", store.Root, "--dataset", "main", "--all");

        Assert.Equal(0, code);
        Assert.Contains("1 image(s) moved", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(store.Root, "datasets", "main", "red", Path.GetFileName(key))));
        Assert.False(File.Exists(Path.Combine(store.Root, key)));
    }

    [Theory]
    [InlineData("feedback/red/0000000000000000000000000000000000000000000000000000000000000000.png", "no such feedback image")]
    [InlineData("--all --label red", "--label applies to the keys given")]
    [InlineData("", "give the keys to accept, or --all")]
    public async Task Accept_BadSelection_ExitsWithOneLineNamingIt(string arguments, string expected)
    {
        var store = Store();
        await PutAsync(store, "red");

        var (code, output) = await RunAsync(["accept", "--store", store.Root, "--dataset", "main", .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(CommandLine.InputError, code);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(store.Root, "datasets")));
    }

    private FileModelStore Store() => new(_temp.Combine("store"));

    private static async Task<string> PutAsync(IModelStore store, string label)
    {
        var bytes = await File.ReadAllBytesAsync(TestAssets.Skimage(label == "red" ? "coffee.png" : "rocket.jpg"));
        var key = new FeedbackImageKey(label, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), "png");
        using var content = new MemoryStream(bytes);
        await store.TryCreateAsync(key.Key, content, "image/png", CancellationToken.None);
        return key.Key;
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var run = await CommandLineTests.RunAsync(args);
        return (run.ExitCode, run.Console);
    }
}
