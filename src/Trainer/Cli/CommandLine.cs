using System.CommandLine;
using Amazon.Runtime;
using Mic.Core.Models;
using Spectre.Console;

namespace Mic.Trainer.Cli;

/// <summary>
/// Runs <c>mic-train</c> with one error boundary: a bad argument is a parse error naming the option (exit 1), a problem
/// with the user's files, data, network or store is one line naming it (exit 2), and only a bug prints a stack trace
/// (exit 70). Ctrl+C is handled by the commands themselves (exit 130).
/// </summary>
internal static class CommandLine
{
    public const int InputError = 2;
    public const int InternalError = 70;

    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter output, TextWriter error, CancellationToken stop)
    {
        var root = TrainerCommands.Build(console, stop);
        var configuration = new InvocationConfiguration
        {
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
            Output = output,
            Error = error,
        };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]stopped[/]");
            return 130;
        }
        catch (Exception e) when (IsInputProblem(e))
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(Describe(e))}");
            return InputError;
        }
        catch (Exception e)
        {
            console.MarkupLine($"[red]internal error[/] (please report it with the lines below): {Markup.Escape(e.GetType().Name)}: {Markup.Escape(e.Message)}");
            console.WriteLine(e.ToString());
            return InternalError;
        }
    }

    /// <summary>Problems with what the user pointed us at, as opposed to bugs.</summary>
    public static bool IsInputProblem(Exception e) => e is IOException or UnauthorizedAccessException or InvalidDataException
        or FormatException or NotSupportedException or ArgumentException or ModelBundleException or AmazonServiceException
        or AmazonClientException or HttpRequestException;

    private static string Describe(Exception e) => e switch
    {
        AmazonServiceException s => $"S3: {s.Message} ({s.StatusCode}{(s.ErrorCode is null ? "" : ", " + s.ErrorCode)})",
        HttpRequestException h => $"download failed: {h.Message}",
        _ => e.Message,
    };
}
