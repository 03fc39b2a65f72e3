using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mic.TestSupport;

/// <summary>
/// A real <c>moto_server</c> (moto 5, the AWS API emulator) on 127.0.0.1 and a free port, with Batch set to run jobs
/// without Docker (<c>{"batch": {"use_docker": false}}</c>): a submitted job ends SUCCEEDED at once, or FAILED when
/// started with <c>MOTO_SIMPLE_BATCH_FAIL_AFTER=0</c>. moto accepts any credentials and checks no signature.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private MotoServer(Process process, StringBuilder output, int port)
    {
        _process = process;
        _output = output;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Endpoint { get; }

    public int Port => Endpoint.Port;

    /// <exception cref="InvalidOperationException">moto_server is missing, exits, or does not answer within 60 s.</exception>
    public static async Task<MotoServer> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(AwsTools.MotoServer) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new MotoServer(process, output, port);
        try
        {
            await server.WaitUntilReadyAsync();
            using var http = new HttpClient();
            // A plain body with a length: moto's server (Werkzeug) does not read chunked request bodies.
            using var body = new StringContent("""{"batch": {"use_docker": false}}""", Encoding.UTF8, "application/json");
            using var config = await http.PostAsync(new Uri(server.Endpoint, "/moto-api/config"), body);
            config.EnsureSuccessStatusCode();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException($"moto_server did not listen on port {Port} within 60 s:\n{Output()}");
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
