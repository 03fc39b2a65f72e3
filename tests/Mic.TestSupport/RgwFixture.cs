using Amazon.S3;
using Mic.Core.Store;
using Xunit;

namespace Mic.TestSupport;

/// <summary>
/// A real Ceph RADOS Gateway on 127.0.0.1, started by <c>scripts/rgw/start.sh</c> for the tests that share this
/// fixture and stopped after them. Each test makes its own bucket (<see cref="CreateBucketAsync"/>).
/// </summary>
public sealed class RgwFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mic-rgw", Guid.NewGuid().ToString("N"));

    public S3ConnectionOptions Connection { get; private set; } = new();

    public AmazonS3Client Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = LoopbackHttpServer.FreePort();
        var output = await RunScriptAsync("start.sh", _dataDirectory, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1]);
        Connection = new S3ConnectionOptions
        {
            ServiceUrl = values["MIC_RGW_ENDPOINT"],
            ForcePathStyle = true,
            AccessKey = values["MIC_RGW_ACCESS_KEY"],
            SecretKey = values["MIC_RGW_SECRET_KEY"],
        };
        Client = ModelStoreLocation.CreateS3Client(Connection);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await RunScriptAsync("stop.sh", _dataDirectory);
    }

    /// <summary>A new, empty bucket with a unique name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var bucket = "mic-" + Guid.NewGuid().ToString("N")[..20];
        await Client.PutBucketAsync(bucket);
        return bucket;
    }

    private static Task<string> RunScriptAsync(string script, params string[] arguments) =>
        ProcessRunner.RunAsync("bash", [Path.Combine(TestAssets.RepositoryRoot, "scripts", "rgw", script), .. arguments],
            TimeSpan.FromMinutes(3), "is Ceph installed? run scripts/rgw/install.sh");
}
