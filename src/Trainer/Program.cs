using System.Runtime.InteropServices;
using Mic.Trainer.Cli;
using Mic.Trainer.Training;
using Spectre.Console;

if (MallocTuning.ShouldReExec(args))
{
    return MallocTuning.ReExec(args);
}

// In the process that does the tensor work: after the re-run check, the parent only waits for its child.
NumericalReproducibility.Ensure();

using var stop = new CancellationTokenSource();
void StopAfterThisBatch()
{
    if (!stop.IsCancellationRequested)
    {
        AnsiConsole.MarkupLine("[yellow]stopping after this batch; the best epoch so far will be written (Ctrl+C again to abort)[/]");
        stop.Cancel();
    }
}

var interrupts = 0;
Console.CancelKeyPress += (_, e) =>
{
    // Counted apart from SIGTERM: the re-executing parent (MallocTuning) passes a terminal's Ctrl+C on as SIGTERM
    // beside the SIGINT this process gets itself, and that pair is one Ctrl+C, not two.
    if (Interlocked.Increment(ref interrupts) > 1)
    {
        return; // a second Ctrl+C ends the process at once
    }

    e.Cancel = true;
    StopAfterThisBatch();
};

// A stopped container or spot instance gets SIGTERM: treat it like Ctrl+C, so the best epoch is still written.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    StopAfterThisBatch();
});

return await CommandLine.RunAsync(args, AnsiConsole.Console, Console.Out, Console.Error, stop.Token);
