using System.Text.Json;

namespace Mic.ClassifierFunction.Tests.Deployment;

/// <summary>
/// The function's container image, built from src/ClassifierFunction/Dockerfile by <c>scripts/image/build.sh</c>
/// (buildah, daemonless; a no-op when the image already holds these sources), and run the way Lambda runs it: the
/// image's own entry point and command, in a buildah container (chroot isolation, the host's network).
/// </summary>
public sealed class ContainerImage : IAsyncLifetime
{
    private static readonly string[] Storage = ["--storage-driver", "vfs"];

    public string Name { get; private set; } = "";

    /// <summary>The image's ENTRYPOINT followed by its CMD: what Lambda executes.</summary>
    public IReadOnlyList<string> Command { get; private set; } = [];

    /// <summary>The image's size in bytes, as the image store reports it.</summary>
    public long Bytes { get; private set; }

    public async Task InitializeAsync()
    {
        var build = await ProcessRunner.RunAsync("bash", [Path.Combine(TestAssets.RepositoryRoot, "scripts", "image", "build.sh")],
            TimeSpan.FromMinutes(25), "scripts/image/build.sh builds it with buildah, podman and debootstrap (scripts/setup.sh installs them; root needed)");
        Name = build.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        var inspect = await ProcessRunner.RunAsync("buildah", [.. Storage, "inspect", "--type", "image", Name],
            TimeSpan.FromMinutes(1), "the image build.sh printed is not in buildah's store");
        using var json = JsonDocument.Parse(inspect);
        var config = json.RootElement.GetProperty("OCIv1").GetProperty("config");
        Command = [.. Strings(config, "Entrypoint"), .. Strings(config, "Cmd")];
        var size = await ProcessRunner.RunAsync("podman", [.. Storage, "image", "inspect", "--format", "{{.Size}}", Name],
            TimeSpan.FromMinutes(1), "podman reads buildah's image store");
        Bytes = long.Parse(size.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Starts the image's entry point in a new container with <paramref name="environment"/> (as a function's
    /// configuration and Lambda's own variables); disposing the process stops it, and the container is removed.
    /// </summary>
    public async Task<ImageRun> RunAsync(IReadOnlyDictionary<string, string> environment)
    {
        var container = (await ProcessRunner.RunAsync("buildah", [.. Storage, "from", "--pull=never", Name], TimeSpan.FromMinutes(3),
            "buildah could not create a container from the image")).Trim();
        var arguments = new List<string>(Storage) { "run", "--isolation", "chroot" };
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["--env", $"{name}={value}"]);
        }

        arguments.Add(container);
        arguments.Add("--");
        arguments.AddRange(Command);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        return new ImageRun(container, Lambda.LambdaProcess.Start("buildah", arguments, new Dictionary<string, string>()), started);
    }

    private static IEnumerable<string> Strings(JsonElement config, string name) =>
        config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString()!)
            : [];
}
