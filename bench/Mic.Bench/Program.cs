using System.Globalization;
using Mic.Bench;

// Serving path:   dotnet run -c Release --project bench/Mic.Bench -- [iterations] [threads]
//   decode / resize / inference timings of Mic.Core's ImageClassifier on real photos with the offline ResNet18.
// fp32 vs int8 (or without vs with --tta flip):
//                 dotnet run -c Release --project bench/Mic.Bench -- compare <fp32 bundle> <int8 bundle> [rounds] [threads]
// bench/run.sh's model store and uploads:
//                 dotnet run -c Release --project bench/Mic.Bench -- prepare <dir>
// Managed allocation per classification:
//                 dotnet run -c Release --project bench/Mic.Bench -- alloc <store> <inputs dir> [calls]
// A Fashion-MNIST bundle's test accuracy through the old (ImageSharp) and the current resize:
//                 dotnet run -c Release --project bench/Mic.Bench -- fashion-mnist <bundle> <fashion-mnist dir>
switch (args)
{
    case ["compare", var fp32, var int8, ..]:
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 300;
        var compareThreads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 2;
        return BundleComparison.Run(fp32, int8, rounds, compareThreads, Console.Out);
    case ["prepare", var directory]:
        return await BenchInputs.PrepareAsync(directory, Console.Out);
    case ["alloc", var store, var inputs, ..]:
        return AllocationBenchmark.Run(store, inputs, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200, Console.Out);
    case ["fashion-mnist", var bundle, var data]:
        return FashionMnistCheck.Run(bundle, data, Console.Out);
}

var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
return ServingBenchmark.Run(iterations, threads, Console.Out);
