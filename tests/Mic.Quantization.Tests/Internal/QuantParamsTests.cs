using Mic.Quantization.Internal;

namespace Mic.Quantization.Tests.Internal;

public sealed class QuantParamsTests
{
    [Fact]
    public void ForRange_RangeStartingAtZero_ZeroPointZeroSoRelusCanBeDropped()
    {
        var p = QuantParams.ForRange(0f, 5.1f);

        Assert.Equal(0, p.ZeroPoint);
        Assert.Equal(5.1f / 255, p.Scale, 6);
    }

    [Fact]
    public void ForRange_PositiveRange_WidenedToIncludeZero()
    {
        var p = QuantParams.ForRange(2f, 4f);

        Assert.Equal(0, p.ZeroPoint);
        Assert.Equal(4f / 255, p.Scale, 6);
    }

    [Fact]
    public void ForRange_SignedRange_ZeroIsExactlyRepresentable()
    {
        var p = QuantParams.ForRange(-1f, 3f);

        Assert.Equal(64, p.ZeroPoint);
        Assert.Equal(0f, (p.ZeroPoint - p.ZeroPoint) * p.Scale);
        Assert.InRange((0 - p.ZeroPoint) * p.Scale, -1.01f, -0.99f);
    }

    [Fact]
    public void ForRange_AllZeros_FiniteScale()
    {
        var p = QuantParams.ForRange(0f, 0f);

        Assert.Equal(new QuantParams(1f, 0), p);
    }

    [Fact]
    public void ForRange_NonFiniteRange_Throws() =>
        Assert.Throws<InvalidOperationException>(() => QuantParams.ForRange(0f, float.PositiveInfinity));
}
