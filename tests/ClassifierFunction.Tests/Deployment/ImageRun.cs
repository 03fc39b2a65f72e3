using Mic.ClassifierFunction.Tests.Lambda;

namespace Mic.ClassifierFunction.Tests.Deployment;

/// <summary>One running container of <see cref="ContainerImage"/>; disposing stops it and removes the container.</summary>
public sealed class ImageRun(string container, LambdaProcess process, long started) : IAsyncDisposable
{
    public LambdaProcess Process { get; } = process;

    /// <summary>Time since the container's process was started (the container's files were already in place).</summary>
    public TimeSpan Elapsed => System.Diagnostics.Stopwatch.GetElapsedTime(started);

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await ProcessRunner.RunAsync("buildah", ["--storage-driver", "vfs", "rm", container], TimeSpan.FromMinutes(2), "buildah rm");
    }
}
