using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Mic.ClassifierFunction.Tests;

/// <summary>The function on the ASP.NET test host, configured like a user would through <c>Mic:*</c> settings.</summary>
public sealed class ClassifierApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ClassifierApp(string modelStore, string cacheDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Mic:ModelStore"] = modelStore,
            ["Mic:CacheDirectory"] = cacheDirectory,
            ["Mic:PollIntervalSeconds"] = "0.2",
            ["Mic:IntraOpThreads"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
