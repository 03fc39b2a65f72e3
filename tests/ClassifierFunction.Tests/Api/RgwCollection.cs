namespace Mic.ClassifierFunction.Tests.Api;

[CollectionDefinition(Name)]
public sealed class RgwCollection : ICollectionFixture<RgwFixture>
{
    public const string Name = "rgw";
}
