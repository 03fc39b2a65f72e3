using System.Globalization;
using Quantization.Bench;

// fp32 vs int8 QDQ for the offline ResNet18 backbone at 224x224: file size, session creation, batch-1 inference at
// 1 and 2 threads (interleaved in this one process), and agreement on held-out photos per calibration method.
// Usage: dotnet run -c Release --project bench/Quantization.Bench -- [rounds] [creations]
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var creations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 9;
return QuantizationBenchmark.Run(rounds, creations, Console.Out);
