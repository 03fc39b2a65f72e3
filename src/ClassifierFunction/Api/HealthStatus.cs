namespace Mic.ClassifierFunction.Api;

public sealed record HealthStatus(string Status, string ModelVersion);
