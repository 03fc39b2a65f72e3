using Mic.Core.Models;
using Mic.Core.Store;

namespace Mic.Core.Tests.Store;

public sealed class ModelPublisherTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileModelStore _store;

    public ModelPublisherTests() => _store = new FileModelStore(_temp.Combine("store"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task List_AfterTwoPublishes_ShowsBothAndMarksLatest()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v2");

        var models = await ModelCatalog.ListAsync(_store, CancellationToken.None);

        Assert.Equal(["v2", "v1"], models.Select(m => m.Version));
        Assert.Equal([true, false], models.Select(m => m.IsLatest));
        Assert.All(models, m => Assert.Equal(0.9, m.Accuracy));
    }

    [Fact]
    public async Task Rollback_ToEarlierVersion_MakesItLatest()
    {
        var v1 = await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v2");

        await ModelPublisher.RollbackAsync(_store, "v1", CancellationToken.None);

        var latest = await ModelCatalog.ReadLatestAsync(_store, CancellationToken.None);
        Assert.Equal(new LatestPointer("v1", v1.Manifest.Model.Sha256, ModelBundle.ComputeSha256(Path.Combine(v1.Directory, "manifest.json"))), latest);
    }

    [Fact]
    public async Task Publish_PinsTheStoredManifestAndModel()
    {
        var v1 = await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");

        var latest = await ModelCatalog.ReadLatestAsync(_store, CancellationToken.None);

        Assert.Equal(v1.Manifest.Model.Sha256, latest!.Sha256);
        Assert.Equal(ModelBundle.ComputeSha256(Path.Combine(_store.Root, "models", "v1", "manifest.json")), latest.ManifestSha256);
    }

    [Fact]
    public async Task Publish_VersionAlreadyPublished_IsRefusedAndNothingChanges()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v2");
        var stored = Directory.GetFiles(_store.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        var other = TestBundles.Write(_temp.Combine("other"), TestModels.Color(16, 16), "v1", TestModels.ColorLabels, 16, 16);

        var e = await Assert.ThrowsAsync<ModelBundleException>(() => ModelPublisher.PublishAsync(_store, other, CancellationToken.None));

        Assert.Contains("models/v1/model.onnx already exists", e.Message, StringComparison.Ordinal);
        Assert.Contains("publish under a new version", e.Message, StringComparison.Ordinal);
        Assert.All(stored, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
        Assert.Equal(stored.Count, Directory.GetFiles(_store.Root, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Rollback_UnknownVersion_FailsAndLatestStays()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");

        var e = await Assert.ThrowsAsync<ModelBundleException>(() => ModelPublisher.RollbackAsync(_store, "v0", CancellationToken.None));

        Assert.Contains("no such published version", e.Message, StringComparison.Ordinal);
        Assert.Equal("v1", (await ModelCatalog.ReadLatestAsync(_store, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Rollback_StoredModelDamaged_IsRefused()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v2");
        await File.AppendAllTextAsync(Path.Combine(_store.Root, "models", "v1", "model.onnx"), "bit rot");

        var e = await Assert.ThrowsAsync<ModelBundleException>(() => ModelPublisher.RollbackAsync(_store, "v1", CancellationToken.None));

        Assert.Contains("sha256 mismatch", e.Message, StringComparison.Ordinal);
        Assert.Equal("v2", (await ModelCatalog.ReadLatestAsync(_store, CancellationToken.None))!.Version);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Publish_InterruptedAtWrite_NeverMovesLatest(int failingWrite)
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        var v2 = TestBundles.Color(_temp.Combine("v2"), "v2");
        var faulty = new FailingStore(_store, failingWrite);

        await Assert.ThrowsAsync<IOException>(() => ModelPublisher.PublishAsync(faulty, v2, CancellationToken.None));

        Assert.Equal("v1", (await ModelCatalog.ReadLatestAsync(_store, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Publish_Cancelled_NeverMovesLatest()
    {
        await TestBundles.PublishColorAsync(_store, _temp.Path, "v1");
        var v2 = TestBundles.Color(_temp.Combine("v2"), "v2");
        using var cancel = new CancellationTokenSource();
        var store = new FailingStore(_store, failOnWrite: int.MaxValue, onWrite: n =>
        {
            if (n == 2)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ModelPublisher.PublishAsync(store, v2, cancel.Token));

        Assert.Equal("v1", (await ModelCatalog.ReadLatestAsync(_store, CancellationToken.None))!.Version);
    }

    /// <summary>A store that fails (as a crash or lost connection would) on its Nth write.</summary>
    private sealed class FailingStore(IModelStore inner, int failOnWrite, Action<int>? onWrite = null) : IModelStore
    {
        private int _writes;

        public string Location => inner.Location;

        public Task<StoredObject?> ReadAsync(string key, string? ifNoneMatch, CancellationToken cancellationToken) =>
            inner.ReadAsync(key, ifNoneMatch, cancellationToken);

        public Task DownloadAsync(string key, string path, CancellationToken cancellationToken) =>
            inner.DownloadAsync(key, path, cancellationToken);

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);

        public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken) =>
            inner.ListAsync(prefix, cancellationToken);

        public Task WriteAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) =>
            Fail(key) is { } failure ? Task.FromException(failure) : inner.WriteAsync(key, content, contentType, cancellationToken);

        public Task<bool> TryCreateAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) =>
            Fail(key) is { } failure ? Task.FromException<bool>(failure) : inner.TryCreateAsync(key, content, contentType, cancellationToken);

        private IOException? Fail(string key)
        {
            var n = Interlocked.Increment(ref _writes);
            onWrite?.Invoke(n);
            return n == failOnWrite ? new IOException($"connection lost writing {key}") : null;
        }
    }
}

[Collection(RgwCollection.Name)]
public sealed class S3ModelPublisherTests(RgwFixture rgw) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task PublishListRollback_AgainstRgw_Work()
    {
        var store = new S3ModelStore(rgw.Client, await rgw.CreateBucketAsync(), "mic");
        var v1 = await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        await TestBundles.PublishColorAsync(store, _temp.Path, "v2");

        var listed = await ModelCatalog.ListAsync(store, CancellationToken.None);
        await ModelPublisher.RollbackAsync(store, "v1", CancellationToken.None);

        Assert.Equal(["v2", "v1"], listed.Select(m => m.Version));
        Assert.True(listed[0].IsLatest);
        Assert.Equal(v1.Manifest.Model.Sha256, (await ModelCatalog.ReadLatestAsync(store, CancellationToken.None))!.Sha256);
    }

    [Fact]
    public async Task Publish_VersionAlreadyInRgw_IsRefusedAndTheStoredModelStays()
    {
        var bucket = await rgw.CreateBucketAsync();
        var store = new S3ModelStore(rgw.Client, bucket, "");
        var v1 = await TestBundles.PublishColorAsync(store, _temp.Path, "v1");
        var other = TestBundles.Write(_temp.Combine("other"), TestModels.Color(16, 16), "v1", TestModels.ColorLabels, 16, 16);

        var e = await Assert.ThrowsAsync<ModelBundleException>(() => ModelPublisher.PublishAsync(store, other, CancellationToken.None));

        Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
        using var model = await rgw.Client.GetObjectAsync(bucket, "models/v1/model.onnx");
        using var bytes = new MemoryStream();
        await model.ResponseStream.CopyToAsync(bytes);
        Assert.Equal(await File.ReadAllBytesAsync(v1.ModelPath), bytes.ToArray());
    }
}
