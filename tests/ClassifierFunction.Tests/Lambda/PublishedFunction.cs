using System.Reflection;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>
/// The function as <c>dotnet publish</c> lays it out for Lambda: a folder with the app and its <c>bootstrap</c>.
/// Published with <c>--no-build</c> from the build the tests already made (a copy, a few seconds), once per class.
/// </summary>
public sealed class PublishedFunction : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    public string Directory => _temp.Combine("publish");

    public async Task InitializeAsync()
    {
        var configuration = typeof(PublishedFunction).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var project = Path.Combine(TestAssets.RepositoryRoot, "src", "ClassifierFunction", "ClassifierFunction.csproj");
        await ProcessRunner.RunAsync("dotnet", ["publish", project, "--no-build", "--nologo", "-c", configuration, "-o", Directory],
            TimeSpan.FromMinutes(3), $"build the solution first: dotnet build -c {configuration}");
        if (!File.Exists(Path.Combine(Directory, "bootstrap")))
        {
            throw new InvalidOperationException($"dotnet publish left no bootstrap in {Directory}");
        }
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
