using Mic.Trainer.Packaging;

namespace Mic.Trainer.Tests.Packaging;

public sealed class GateDecisionTests
{
    [Fact]
    public void Check_Int8WithinMargin_Passes()
    {
        var gate = GateDecision.Check(0.912, 0.915, maxDropPoints: 0.5, minAccuracy: null);

        Assert.True(gate.Passed);
        Assert.Contains("-0.30 points", gate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Int8DropsTooFar_IsRefusedWithBothFigures()
    {
        var gate = GateDecision.Check(0.90, 0.915, maxDropPoints: 0.5, minAccuracy: null);

        Assert.False(gate.Passed);
        Assert.Contains("1.50 points below fp32 91.50 %", gate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BelowMinimum_IsRefusedEvenWithoutFp32()
    {
        var gate = GateDecision.Check(0.80, null, maxDropPoints: 0.5, minAccuracy: 0.85);

        Assert.False(gate.Passed);
        Assert.Contains("below --min-accuracy 85.00 %", gate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Int8BetterThanFp32_Passes()
    {
        Assert.True(GateDecision.Check(0.92, 0.91, maxDropPoints: 0, minAccuracy: 0.5).Passed);
    }
}
