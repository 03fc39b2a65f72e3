using Mic.Quantization.Internal;

namespace Mic.Quantization.Tests.Internal;

public sealed class WeightQuantizerTests
{
    [Theory]
    [InlineData(127)]
    [InlineData(63)]
    public void PerChannel_Axis0_EachChannelUsesItsOwnFullRange(int limit)
    {
        // Two output channels of 2×2 weights: one small, one large.
        float[] weights = [0.01f, -0.02f, 0.005f, 0f, 4f, -8f, 2f, 1f];

        var (values, scales) = WeightQuantizer.PerChannel(weights, [2, 1, 2, 2], axis: 0, limit);

        Assert.Equal(0.02f / limit, scales[0], 7);
        Assert.Equal(8f / limit, scales[1], 6);
        Assert.Equal(-limit, values[1]);
        Assert.Equal(-limit, values[5]);
        for (var i = 0; i < weights.Length; i++)
        {
            Assert.True(Math.Abs((values[i] * scales[i / 4]) - weights[i]) <= scales[i / 4] / 2 + 1e-7);
        }
    }

    [Fact]
    public void PerChannel_Axis1OfMatrix_ScalesPerColumn()
    {
        // [K=2, N=3]: column j holds j+1 and -(j+1)/2.
        float[] weights = [1f, 2f, 3f, -0.5f, -1f, -1.5f];

        var (_, scales) = WeightQuantizer.PerChannel(weights, [2, 3], axis: 1, limit: 127);

        Assert.Equal([1f / 127, 2f / 127, 3f / 127], scales);
    }

    [Fact]
    public void PerChannel_BiasTooLargeForInt32_RaisesTheWeightScale()
    {
        float[] bias = [1e6f];
        const float InputScale = 1e-4f;
        var minimum = WeightQuantizer.MinScalesForBias(bias, InputScale);

        var (_, scales) = WeightQuantizer.PerChannel([1e-9f, -1e-9f], [1, 2], axis: 0, limit: 127, minimum);
        var quantizedBias = WeightQuantizer.Bias(bias, InputScale, scales);

        Assert.InRange(quantizedBias[0], 1, int.MaxValue - 1);
        Assert.Equal(1e6, quantizedBias[0] * (double)InputScale * scales[0], 0);
    }
}
