using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Mic.Trainer.Tests.Retraining;

/// <summary>
/// Runs the real <c>mic-train retrain</c> process (the trainer image's entry point) against a bucket on RGW, with the
/// bucket's keys in its environment as a Batch job would have its role, and reads its JSON summary line.
/// </summary>
internal sealed class RetrainRun : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RetrainRun(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The summary line's members (the last line that is a JSON object).</summary>
    public JsonElement Summary
    {
        get
        {
            using var json = JsonDocument.Parse(Output.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("{\"mic\"", StringComparison.Ordinal)));
            return json.RootElement.Clone();
        }
    }

    /// <summary>Small tiny-data settings for a fast CPU run; <paramref name="extra"/> overrides or adds options.</summary>
    public static RetrainRun Start(RgwFixture rgw, string bucket, string dataset, string jobId, int attempt, params string[] extra)
    {
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "mic-train.dll"), "retrain", "--store", $"s3://{bucket}",
            "--dataset", dataset, "--s3-service-url", rgw.Connection.ServiceUrl!, "--image-size", "32", "--batch-size", "8",
            "--device", "cpu", "--threads", "1", "--seed", "5", "--valid-pct", "0.25", "--work-dir", Path.Combine(Path.GetTempPath(), "mic-retrain-tests", bucket), .. extra])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = rgw.Connection.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = rgw.Connection.SecretKey;
        start.Environment["AWS_BATCH_JOB_ID"] = jobId;
        start.Environment["AWS_BATCH_JOB_ATTEMPT"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new RetrainRun(Process.Start(start) ?? throw new InvalidOperationException("mic-train did not start"));
    }

    public static async Task<RetrainRun> RunAsync(RgwFixture rgw, string bucket, string dataset, string jobId, int attempt, params string[] extra)
    {
        var run = Start(rgw, bucket, dataset, jobId, attempt, extra);
        await run.WaitForExitAsync(TimeSpan.FromMinutes(5));
        return run;
    }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"mic-train retrain ran past {timeout}:\n{Output}");
        }

        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>
    /// Uploads a folder-per-class dataset of 40×40 PNGs: each class a solid colour with seeded noise, so a ResNet18
    /// head tells them apart after an epoch or two.
    /// </summary>
    public static async Task PutColoursAsync(RgwFixture rgw, string bucket, string dataset, int perClass, params (string Label, Rgb24 Colour)[] classes)
    {
        var random = new Random(11);
        foreach (var (label, colour) in classes)
        {
            for (var i = 0; i < perClass; i++)
            {
                using var image = new Image<Rgb24>(40, 40);
                image.ProcessPixelRows(rows =>
                {
                    for (var y = 0; y < rows.Height; y++)
                    {
                        foreach (ref var pixel in rows.GetRowSpan(y))
                        {
                            pixel = new Rgb24(Jitter(colour.R), Jitter(colour.G), Jitter(colour.B));
                        }
                    }
                });
                using var png = new MemoryStream();
                await image.SaveAsPngAsync(png);
                png.Position = 0;
                await rgw.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"datasets/{dataset}/{label}/{i:D2}.png", InputStream = png });
            }
        }

        byte Jitter(byte value) => (byte)Math.Clamp(value + random.Next(-40, 41), 0, 255);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
