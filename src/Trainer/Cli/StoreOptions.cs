using System.CommandLine;
using Mic.Core.Store;
using Mic.Trainer.Pipeline;

namespace Mic.Trainer.Cli;

/// <summary>The options every command that talks to a model store shares; <c>list</c>'s options type.</summary>
internal sealed class StoreOptions
{
    public Option<string> Store { get; } = new("--store")
    {
        Description = "Model store: a folder, file:///path or s3://bucket/prefix (the function's Mic:ModelStore)",
        Required = true,
    };

    public Option<string?> S3ServiceUrl { get; } = new("--store-s3-service-url")
    {
        Description = "S3-compatible endpoint for the store (Ceph RGW, MinIO); credentials from the AWS default chain",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Store);
        command.Options.Add(S3ServiceUrl);
    }

    public PublishTarget Target(ParseResult parse) => PublishTarget.FromEnvironment(parse.GetValue(Store)!, parse.GetValue(S3ServiceUrl));

    public OpenedStore Open(ParseResult parse) => Target(parse).Open();
}
