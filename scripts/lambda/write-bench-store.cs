#:project ../../tests/Mic.TestSupport/Mic.TestSupport.csproj
// Writes a model store with a real ResNet18 bundle (the test suite's nearest-centroid head over the offline
// ImageNet ResNet18) for the cold-start and overhead measurements in docs/lambda.md.
//   dotnet build scripts/lambda/write-bench-store.cs -o artifacts/write-bench-store
//   dotnet artifacts/write-bench-store/write-bench-store.dll <store-dir>
// (built into the repository so the test support finds its assets; `dotnet run` would build it outside.)
using Mic.Core.Store;
using Mic.TestSupport;

var store = args.Length == 1 ? args[0] : throw new ArgumentException("usage: write-bench-store.cs <store-dir>");
var scratch = Directory.CreateTempSubdirectory("mic-bench-").FullName;
try
{
    var bundle = ResNet18Bundles.NearestCentroid(Path.Combine(scratch, "bundle"), "resnet18-bench");
    await ModelPublisher.PublishAsync(new FileModelStore(store), bundle, CancellationToken.None);
    Console.WriteLine($"published {bundle.Manifest.Version} to {store}");
}
finally
{
    Directory.Delete(scratch, recursive: true);
}
