using System.CommandLine;

namespace Mic.Trainer.Cli;

/// <summary><c>rollback</c>'s options: the version to make live again, and the store.</summary>
internal sealed class RollbackCommandOptions
{
    public Argument<string> Version { get; } = new("version") { Description = "A version that `list` shows" };

    public StoreOptions Store { get; } = new();

    public void AddTo(Command command)
    {
        command.Arguments.Add(Version);
        Store.AddTo(command);
    }
}
