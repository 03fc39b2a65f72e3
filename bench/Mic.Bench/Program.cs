using System.Globalization;
using Mic.Bench;

// Serving path:   dotnet run -c Release --project bench/Mic.Bench -- [iterations] [threads]
//   decode / resize / inference timings of Mic.Core's ImageClassifier on real photos with the offline ResNet18.
// fp32 vs int8 (or without vs with --tta flip):
//                 dotnet run -c Release --project bench/Mic.Bench -- compare <fp32 bundle> <int8 bundle> [rounds] [threads]
if (args.Length >= 3 && args[0] == "compare")
{
    var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 300;
    var compareThreads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 2;
    return BundleComparison.Run(args[1], args[2], rounds, compareThreads, Console.Out);
}

var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
var threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
return ServingBenchmark.Run(iterations, threads, Console.Out);
