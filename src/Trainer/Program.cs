using System.Runtime.InteropServices;
using Mic.Trainer.Cli;
using Spectre.Console;

if (MallocTuning.ShouldReExec(args))
{
    return MallocTuning.ReExec(args);
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (stop.IsCancellationRequested)
    {
        return; // a second Ctrl+C ends the process at once
    }

    e.Cancel = true;
    AnsiConsole.MarkupLine("[yellow]stopping after this batch; the best epoch so far will be written (Ctrl+C again to abort)[/]");
    stop.Cancel();
};

// A stopped container or spot instance gets SIGTERM: treat it like Ctrl+C, so the best epoch is still written.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

return await CommandLine.RunAsync(args, AnsiConsole.Console, Console.Out, Console.Error, stop.Token);
