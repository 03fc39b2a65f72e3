using System.Runtime.CompilerServices;
using Mic.Trainer.Training;

namespace Mic.Trainer.Tests;

/// <summary>What mic-train does first (Program.cs), done before any test touches libtorch: MKL reproducible.</summary>
internal static class TestProcessSetup
{
    [ModuleInitializer]
    internal static void Initialize() => NumericalReproducibility.Ensure();
}
