namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>The resource specification, read once per test class (it is ~2.6 MB gzipped).</summary>
public sealed class SpecificationFixture
{
    public ResourceSpecification Specification { get; } = ResourceSpecification.Load(ResourceSpecification.DefaultPath);

    public static string TemplatePath => Path.Combine(TestAssets.RepositoryRoot, "template.yaml");
}
