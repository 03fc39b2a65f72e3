namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>cfn-lint and SAM's transform over template.yaml, run once for the classes that read their results.</summary>
public sealed class SamCheckFixture : IAsyncLifetime
{
    private readonly TempDirectory _output = new();

    public SamCheck Check { get; private set; } = null!;

    public async Task InitializeAsync() => Check = await SamCheck.RunAsync(SamCheck.TemplatePath, _output.Path);

    public Task DisposeAsync()
    {
        _output.Dispose();
        return Task.CompletedTask;
    }
}
