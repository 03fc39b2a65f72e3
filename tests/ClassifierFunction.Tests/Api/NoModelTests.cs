using System.Diagnostics;
using System.Net;

namespace Mic.ClassifierFunction.Tests.Api;

public sealed class NoModelTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/model")]
    public async Task Get_EmptyStore_Is503ProblemSayingHowToPublish(string path)
    {
        await using var app = new ClassifierApp(_temp.Combine("empty"), _temp.Combine("cache"));
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        await ClassifyApiTests.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "no model is published");
    }

    [Fact]
    public async Task Classify_EmptyStore_Is503Problem()
    {
        await using var app = new ClassifierApp(_temp.Combine("empty"), _temp.Combine("cache"));
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/classify", ClassifyApiTests.Jpeg(Images.TintedPhoto("red")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.Contains("models/latest.json", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(_temp.Path, problem, StringComparison.Ordinal); // the store's location stays in the log
    }

    [Theory]
    [InlineData("--model-store=", "the model store is not set")]
    [InlineData("--model-store=ftp://host/models", "unsupported scheme")]
    [InlineData("--Mic:PollIntervalSeconds=0", "PollIntervalSeconds")]
    [InlineData("--Mic:MaxImageBytes=-5", "MaxImageBytes")]
    public async Task Start_InvalidConfiguration_ExitsWithClearMessage(string argument, string expected)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClassifierFunction.dll"));
        start.ArgumentList.Add($"--model-store={_temp.Path}");
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        var message = await stderr;
        Assert.StartsWith("ClassifierFunction: invalid configuration:", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }
}
