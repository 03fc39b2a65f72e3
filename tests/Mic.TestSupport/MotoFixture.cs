using Xunit;

namespace Mic.TestSupport;

/// <summary>One <see cref="MotoServer"/> for the tests that share this fixture, stopped after them.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    public MotoServer Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    public async Task InitializeAsync() => _server = await MotoServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
