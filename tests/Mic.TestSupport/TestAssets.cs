namespace Mic.TestSupport;

/// <summary>
/// Real data unpacked from Debian packages by <c>scripts/test-assets.sh</c> into <c>.cache/test-assets</c>
/// (or <c>$MIC_TEST_ASSETS</c>). A missing asset fails the test with the command that fetches it.
/// </summary>
public static partial class TestAssets
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Root { get; } =
        Environment.GetEnvironmentVariable("MIC_TEST_ASSETS") is { Length: > 0 } custom
            ? custom
            : Path.Combine(RepositoryRoot, ".cache", "test-assets");

    /// <summary>A photo from scikit-image's data folder, e.g. <c>motorcycle_left.png</c>, <c>truncated.jpg</c>.</summary>
    public static string Skimage(string name) =>
        Existing(Path.Combine(Root, "python3-skimage", "usr", "lib", "python3", "dist-packages", "skimage", "data", name));

    /// <summary>A large real photo from MATE's backgrounds, e.g. <c>nature/Garden.jpg</c>.</summary>
    public static string MateBackground(string relative) =>
        Existing(Path.Combine(Root, "mate-backgrounds", "usr", "share", "backgrounds", "mate", relative));

    public static byte[] Bytes(string path) => File.ReadAllBytes(path);

    private static string Existing(string path) =>
        File.Exists(path)
            ? path
            : throw new FileNotFoundException($"test asset {path} is missing: run scripts/test-assets.sh", path);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mic.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Mic.sln not found above {AppContext.BaseDirectory}");
    }
}
