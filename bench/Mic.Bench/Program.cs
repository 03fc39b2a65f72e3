using Mic.Bench;

// Decode / resize / inference timings of the serving path (Mic.Core's ImageClassifier) on real photos with the
// offline ResNet18 at 224x224. Usage: dotnet run -c Release --project bench/Mic.Bench -- [iterations] [threads]
var iterations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 60;
var threads = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
return ServingBenchmark.Run(iterations, threads, Console.Out);
