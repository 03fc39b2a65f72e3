namespace Mic.Infra.Tests;

/// <summary>A mutation of the template and the check finding it must cause.</summary>
internal sealed record BrokenCopy(string Find, string Replace, string Finding);
