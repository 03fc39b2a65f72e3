using Mic.Core.Models;
using Mic.Trainer.Export;
using Onnx;

namespace Mic.Trainer.Tests.Cli;

internal static class TestTimeFlipProbe
{
    /// <summary>Whether the bundle's model file itself is wrapped (not only its manifest saying so).</summary>
    public static bool IsApplied(ModelBundle bundle) =>
        TestTimeFlip.IsApplied(ModelProto.Parser.ParseFrom(File.ReadAllBytes(bundle.ModelPath)));
}
