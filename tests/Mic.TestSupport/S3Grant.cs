namespace Mic.TestSupport;

/// <summary>One S3 action on one part of the images bucket: a key prefix (<c>models/</c>), or <c>""</c> for the bucket.</summary>
public sealed record S3Grant(string Action, string Prefix)
{
    public override string ToString() => $"{Action} on {Prefix switch { "" => "the bucket", "*" => "*", _ => Prefix + "*" }}";
}
