namespace Mic.Aws.Tests;

/// <summary>A request as it left the client: method, URI, every header (content headers too) and the body.</summary>
internal sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value
        ?? throw new KeyNotFoundException($"the request has no {name} header");
}
