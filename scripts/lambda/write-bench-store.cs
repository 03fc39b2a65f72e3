#:project ../../tests/Mic.TestSupport/Mic.TestSupport.csproj
// Writes a model store with a real ResNet18 bundle (the test suite's nearest-centroid head over the offline
// ImageNet ResNet18) for the cold-start and overhead measurements in docs/lambda.md.
//   dotnet run scripts/lambda/write-bench-store.cs -- <store-dir>
using Mic.Core.Store;
using Mic.TestSupport;

var store = args.Length == 1 ? args[0] : throw new ArgumentException("usage: write-bench-store.cs <store-dir>");
var scratch = Path.Combine(Path.GetTempPath(), "mic-bench-" + Guid.NewGuid().ToString("N"));
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
