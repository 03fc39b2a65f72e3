namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>The classes that read <see cref="SamCheckFixture"/>'s one run of the tools.</summary>
[CollectionDefinition(Name)]
public sealed class SamCheckCollection : ICollectionFixture<SamCheckFixture>
{
    public const string Name = "sam check";
}
