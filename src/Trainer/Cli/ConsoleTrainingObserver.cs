using System.Diagnostics;
using System.Globalization;
using Mic.Trainer.Pipeline;
using Mic.Trainer.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Mic.Trainer.Cli;

/// <summary>
/// fast.ai's console look with Spectre.Console: a table that gains a row per epoch (train loss, valid loss, error
/// rate, time) above a progress bar for the running epoch with images/s and ETA. Without an interactive terminal it
/// prints one plain line per epoch instead. Call <see cref="Update"/> from the thread that runs the learner.
/// </summary>
internal sealed class ConsoleTrainingObserver : IPipelineObserver
{
    private static readonly long RefreshTicks = Stopwatch.Frequency / 5;
    private readonly IAnsiConsole _console;
    private readonly Table _table;
    private LiveDisplayContext? _live;
    private string _status = "starting";
    private long _lastRefresh;
    private long _epochStart;

    public ConsoleTrainingObserver(IAnsiConsole console)
    {
        _console = console;
        _table = new Table().Border(TableBorder.Rounded)
            .AddColumn("epoch").AddColumn("phase").AddColumn(new TableColumn("train_loss").RightAligned())
            .AddColumn(new TableColumn("valid_loss").RightAligned()).AddColumn(new TableColumn("error_rate").RightAligned())
            .AddColumn(new TableColumn("img/s").RightAligned()).AddColumn(new TableColumn("time").RightAligned());
    }

    public bool Interactive => _console.Profile.Capabilities.Interactive;

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (!Interactive)
        {
            return await work();
        }

        return await _console.Live(Render()).AutoClear(false).StartAsync(async context =>
        {
            _live = context;
            try
            {
                return await work();
            }
            finally
            {
                _status = "";
                Update(force: true);
                _live = null;
            }
        });
    }

    public void Report((int Done, int Total) value)
    {
        if (value.Done == value.Total || Stopwatch.GetTimestamp() - _lastRefresh > RefreshTicks)
        {
            _status = $"decoding and resizing images {value.Done:N0}/{value.Total:N0}";
            Update(force: value.Done == value.Total);
        }
    }

    public void StepStarted(string name)
    {
        _status = name + "…";
        Update(force: true);
    }

    public void EpochStarted(string phase, int epoch, int epochs, int batches)
    {
        _epochStart = Stopwatch.GetTimestamp();
        _status = Bar($"{phase} epoch {epoch + 1}/{epochs}", 0, batches, 0);
        Update(force: true);
    }

    public void BatchCompleted(int batch, int batches, double loss, double imagesPerSecond)
    {
        if (!Interactive && batches >= 10 && batch % (batches / 10) == 0)
        {
            // Logs get a line every 10% instead of a bar.
            _console.WriteLine(Markup.Remove(Bar($"batch {batch}/{batches} loss {loss:F4}", batch, batches, imagesPerSecond)));
        }

        if (batch == batches || Stopwatch.GetTimestamp() - _lastRefresh > RefreshTicks)
        {
            _status = Bar($"batch {batch}/{batches} loss {loss:F4}", batch, batches, imagesPerSecond);
            Update(force: false);
        }
    }

    public void EpochCompleted(EpochResult result)
    {
        var time = TimeSpan.FromSeconds(result.Seconds).ToString(@"mm\:ss", CultureInfo.InvariantCulture);
        _table.AddRow((result.Epoch + 1).ToString(CultureInfo.InvariantCulture), result.Phase, F(result.TrainLoss), F(result.ValidLoss),
            F(result.ErrorRate), result.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture), time);
        if (!Interactive)
        {
            _console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {result.Epoch + 1} ({result.Phase}): train_loss {result.TrainLoss:F6} valid_loss {result.ValidLoss:F6} error_rate {result.ErrorRate:F6} {result.ImagesPerSecond:F1} img/s {time}"));
        }

        _status = "validating";
        Update(force: true);
    }

    public void Message(string text)
    {
        _status = text;
        if (!Interactive)
        {
            _console.WriteLine(text);
        }

        Update(force: true);
    }

    private static string F(double value) => value.ToString("F6", CultureInfo.InvariantCulture);

    private string Bar(string label, int done, int total, double imagesPerSecond)
    {
        const int Width = 30;
        var share = total == 0 ? 0 : (double)done / total;
        var filled = (int)Math.Round(share * Width);
        var elapsed = Stopwatch.GetElapsedTime(_epochStart);
        var eta = done == 0 ? "--:--" : TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (total - done)).ToString(@"mm\:ss", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"[green]{new string('█', filled)}[/][grey]{new string('░', Width - filled)}[/] {share,4:P0} {Markup.Escape(label)}  {imagesPerSecond:F1} img/s  ETA {eta}");
    }

    private void Update(bool force)
    {
        _lastRefresh = Stopwatch.GetTimestamp();
        if (_live is null)
        {
            return;
        }

        _live.UpdateTarget(Render());
        if (force)
        {
            _live.Refresh();
        }
    }

    private IRenderable Render() => _table.Rows.Count == 0 && _status.Length > 0
        ? new Markup(_status.Contains("[/]", StringComparison.Ordinal) ? _status : Markup.Escape(_status))
        : new Rows(_table, new Markup(_status.Contains("[/]", StringComparison.Ordinal) ? _status : Markup.Escape(_status)));
}
