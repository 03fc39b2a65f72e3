using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>
/// A published function run as a <c>bootstrap</c> under @vercel/fun (npm), a third-party Lambda Runtime API:
/// one process per peer, cold-started by the first invocation and kept warm for the next, as Lambda does.
/// The function's own stdout lines (its JSON logs) are kept in <see cref="FunctionOutput"/>.
/// </summary>
public sealed class FunPeer : IAsyncDisposable
{
    private const string ResultMarker = "FUN-RESULT ";
    private const string ReadyMarker = "FUN-READY ";

    private readonly Process _process;
    private readonly Channel<string> _results = Channel.CreateUnbounded<string>();
    private readonly List<string> _output = [];
    private readonly Task _reader;
    private readonly Task<string> _stderr;
    private int _nextId;

    private FunPeer(Process process)
    {
        _process = process;
        _reader = ReadOutputAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public IReadOnlyList<string> FunctionOutput
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public static async Task<FunPeer> StartAsync(string taskDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var root = TestAssets.RepositoryRoot;
        var driver = Path.Combine(root, "tests", "ClassifierFunction.Tests", "Lambda", "fun-driver.js");
        if (!File.Exists(Path.Combine(root, "node_modules", "@vercel", "fun", "package.json")))
        {
            throw new InvalidOperationException($"@vercel/fun is not installed: run `npm ci` in {root} (Node.js and npm are needed)");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(driver);
        start.ArgumentList.Add(taskDirectory);
        var peer = new FunPeer(Process.Start(start)
            ?? throw new InvalidOperationException("could not start node: install Node.js (apt-get install nodejs npm)"));
        await peer.SendAsync(new JsonObject { ["environment"] = JsonSerializer.SerializeToNode(environment) });
        var ready = await peer.ReceiveAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith(ReadyMarker, ready);
        return peer;
    }

    /// <summary>Invokes the function with <paramref name="lambdaEvent"/> and waits for its response or error.</summary>
    public async Task<FunResult> InvokeAsync(JsonNode lambdaEvent, TimeSpan? timeout = null)
    {
        var id = ++_nextId;
        await SendAsync(new JsonObject { ["id"] = id, ["event"] = lambdaEvent });
        var line = await ReceiveAsync(timeout ?? TimeSpan.FromSeconds(60));
        using var result = JsonDocument.Parse(line[ResultMarker.Length..]);
        var root = result.RootElement;
        Assert.Equal(id, root.GetProperty("id").GetInt32());
        return new FunResult(root.GetProperty("statusCode").GetInt32(),
            root.GetProperty("functionError").GetString(), root.GetProperty("payload").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close(); // the driver destroys the function (and its process) when stdin ends
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _reader;
        _process.Dispose();
    }

    private async Task SendAsync(JsonNode message)
    {
        await _process.StandardInput.WriteLineAsync(message.ToJsonString());
        await _process.StandardInput.FlushAsync();
    }

    private async Task<string> ReceiveAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _results.Reader.ReadAsync(cancel.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            var stderr = _process.HasExited ? await _stderr : "(still running)";
            throw new InvalidOperationException(
                $"no answer from the fun peer within {timeout}; its stderr:\n{stderr}\nfunction output:\n{string.Join('\n', FunctionOutput)}", e);
        }
    }

    private async Task ReadOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(ResultMarker, StringComparison.Ordinal) || line.StartsWith(ReadyMarker, StringComparison.Ordinal))
            {
                await _results.Writer.WriteAsync(line);
            }
            else
            {
                lock (_output)
                {
                    _output.Add(line);
                }
            }
        }

        _results.Writer.Complete();
    }
}
