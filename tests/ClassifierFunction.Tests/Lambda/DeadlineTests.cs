using Mic.ClassifierFunction.Lambda;

namespace Mic.ClassifierFunction.Tests.Lambda;

public sealed class DeadlineTests
{
    [Fact]
    public void ParseDeadline_EpochMilliseconds_IsThatInstant() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero), RuntimeApiClient.ParseDeadline("1795910400000"));

    [Theory]
    [InlineData("5000")] // what @vercel/fun sends: no epoch time
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("soon")]
    [InlineData("99999999999999999999")]
    [InlineData(null)]
    public void ParseDeadline_NoEpochTime_IsNoDeadline(string? value) => Assert.Null(RuntimeApiClient.ParseDeadline(value));
}
