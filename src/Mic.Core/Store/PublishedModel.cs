namespace Mic.Core.Store;

/// <summary>One version in a model store, as <see cref="ModelCatalog.ListAsync"/> reports it.</summary>
public sealed record PublishedModel(string Version, DateTimeOffset CreatedAt, double? Accuracy, string Precision, bool IsLatest);
