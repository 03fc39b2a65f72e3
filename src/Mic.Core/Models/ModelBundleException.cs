namespace Mic.Core.Models;

/// <summary>A model bundle that cannot be served; the message names the problem and the file.</summary>
public sealed class ModelBundleException : Exception
{
    public ModelBundleException(string message) : base(message) { }

    public ModelBundleException(string message, Exception inner) : base(message, inner) { }
}
