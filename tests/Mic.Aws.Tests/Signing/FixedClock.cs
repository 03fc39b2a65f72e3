namespace Mic.Aws.Tests.Signing;

/// <summary>A clock stopped at one instant (timers still run in real time).</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
