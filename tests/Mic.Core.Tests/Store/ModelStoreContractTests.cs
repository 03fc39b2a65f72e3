using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Mic.Core.Store;

namespace Mic.Core.Tests.Store;

/// <summary>The behaviour every <see cref="IModelStore"/> must have, run against a folder and a real Ceph RGW.</summary>
public abstract class ModelStoreContractTests
{
    protected abstract Task<IModelStore> CreateStoreAsync();

    [Fact]
    public async Task Read_MissingKey_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.ReadAsync("models/latest.json", null, CancellationToken.None));
    }

    [Fact]
    public async Task Read_AfterWrite_ReturnsContentAndETag()
    {
        var store = await CreateStoreAsync();
        await WriteAsync(store, "models/latest.json", "{\"a\":1}");

        var read = await store.ReadAsync("models/latest.json", null, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(read.Content));
        Assert.False(string.IsNullOrEmpty(read.ETag));
    }

    [Fact]
    public async Task Read_WithCurrentETag_IsNotModified_AndChangesAfterRewrite()
    {
        var store = await CreateStoreAsync();
        await WriteAsync(store, "models/latest.json", "one");
        var first = await store.ReadAsync("models/latest.json", null, CancellationToken.None);

        var unchanged = await store.ReadAsync("models/latest.json", first!.ETag, CancellationToken.None);
        await WriteAsync(store, "models/latest.json", "two");
        var changed = await store.ReadAsync("models/latest.json", first.ETag, CancellationToken.None);

        Assert.True(unchanged!.IsNotModified);
        Assert.Equal("two", Encoding.UTF8.GetString(changed!.Content));
        Assert.NotEqual(first.ETag, changed.ETag);
    }

    [Fact]
    public async Task Download_WritesExactBytes()
    {
        var store = await CreateStoreAsync();
        var bytes = TestAssets.Bytes(TestAssets.Skimage("rocket.jpg"));
        await store.WriteAsync("models/v1/model.onnx", new MemoryStream(bytes), "application/octet-stream", CancellationToken.None);
        using var temp = new TempDirectory();

        await store.DownloadAsync("models/v1/model.onnx", temp.Combine("copy"), CancellationToken.None);

        Assert.Equal(bytes, File.ReadAllBytes(temp.Combine("copy")));
    }

    [Fact]
    public async Task Download_MissingKey_ThrowsFileNotFound()
    {
        var store = await CreateStoreAsync();
        using var temp = new TempDirectory();

        await Assert.ThrowsAsync<FileNotFoundException>(() => store.DownloadAsync("models/v9/model.onnx", temp.Combine("x"), CancellationToken.None));
    }

    [Fact]
    public async Task List_ReturnsKeysUnderPrefixInOrder()
    {
        var store = await CreateStoreAsync();
        foreach (var key in new[] { "models/v2/manifest.json", "models/v1/manifest.json", "other/x" })
        {
            await WriteAsync(store, key, key);
        }

        var keys = await store.ListAsync("models/", CancellationToken.None);

        Assert.Equal(["models/v1/manifest.json", "models/v2/manifest.json"], keys);
    }

    [Fact]
    public async Task TryCreate_AbsentKey_WritesIt_ExistingKey_IsRefusedAndKept()
    {
        var store = await CreateStoreAsync();

        var created = await store.TryCreateAsync("models/v1/model.onnx", new MemoryStream("first"u8.ToArray()), "text/plain", CancellationToken.None);
        var again = await store.TryCreateAsync("models/v1/model.onnx", new MemoryStream("second"u8.ToArray()), "text/plain", CancellationToken.None);

        Assert.True(created);
        Assert.False(again);
        Assert.Equal("first", Encoding.UTF8.GetString((await store.ReadAsync("models/v1/model.onnx", null, CancellationToken.None))!.Content));
    }

    private static Task WriteAsync(IModelStore store, string key, string content) =>
        store.WriteAsync(key, new MemoryStream(Encoding.UTF8.GetBytes(content)), "text/plain", CancellationToken.None);
}

public sealed class FileModelStoreTests : ModelStoreContractTests, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    protected override Task<IModelStore> CreateStoreAsync() => Task.FromResult<IModelStore>(new FileModelStore(_temp.Path));

    [Fact]
    public async Task Read_KeyLeavingTheStore_IsRefused()
    {
        var store = new FileModelStore(_temp.Combine("store"));

        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadAsync("../secret", null, CancellationToken.None));
    }

    [Fact]
    public void Open_PlainPathAndFileUri_OpenTheSameFolder()
    {
        using var plain = ModelStoreLocation.Open(_temp.Path);
        using var uri = ModelStoreLocation.Open(new Uri(_temp.Path).AbsoluteUri);

        Assert.Equal(plain.Store.Location, uri.Store.Location);
    }

    [Theory]
    [InlineData("", "not set")]
    [InlineData("http://example.com/models", "unsupported scheme")]
    [InlineData("s3://", "no valid bucket name")]
    public void TryValidate_BadUri_ExplainsWhy(string uri, string expected)
    {
        Assert.False(ModelStoreLocation.TryValidate(uri, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}

[Collection(RgwCollection.Name)]
public sealed class S3ModelStoreTests(RgwFixture rgw) : ModelStoreContractTests
{
    protected override async Task<IModelStore> CreateStoreAsync() =>
        new S3ModelStore(rgw.Client, await rgw.CreateBucketAsync(), "mic/prod");

    [Fact]
    public async Task Open_S3Uri_ReadsWhatTheClientWrote()
    {
        var bucket = await rgw.CreateBucketAsync();
        await new S3ModelStore(rgw.Client, bucket, "team").WriteAsync("models/latest.json", new MemoryStream("x"u8.ToArray()), "text/plain", CancellationToken.None);

        using var opened = ModelStoreLocation.Open($"s3://{bucket}/team", rgw.Connection);
        var read = await opened.Store.ReadAsync("models/latest.json", null, CancellationToken.None);

        Assert.Equal($"s3://{bucket}/team", opened.Store.Location);
        Assert.Equal("x"u8.ToArray(), read!.Content);
    }

    /// <summary>
    /// The second line of <see cref="S3ModelStore.TryCreateAsync"/>: a writer that passed the existence check while
    /// another created the key is still refused, because this server (like AWS S3) honours If-None-Match on PUT.
    /// </summary>
    [Fact]
    public async Task ConditionalPut_KeyCreatedMeanwhile_IsRefusedByTheServer()
    {
        var bucket = await rgw.CreateBucketAsync();
        await rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "models/v1/model.onnx", ContentBody = "first" });

        var e = await Assert.ThrowsAsync<AmazonS3Exception>(() => rgw.Client.PutObjectAsync(
            new PutObjectRequest { BucketName = bucket, Key = "models/v1/model.onnx", ContentBody = "second", IfNoneMatch = "*" }));

        Assert.Equal(System.Net.HttpStatusCode.PreconditionFailed, e.StatusCode);
    }
}
