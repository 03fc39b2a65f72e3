namespace Mic.Core.Tests.Store;

/// <summary>Test classes in this collection share one real Ceph RGW (started once, stopped after them).</summary>
[CollectionDefinition(Name)]
public sealed class RgwCollection : ICollectionFixture<RgwFixture>
{
    public const string Name = "rgw";
}
