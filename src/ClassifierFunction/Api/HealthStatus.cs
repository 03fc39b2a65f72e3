namespace Mic.ClassifierFunction.Api;

internal sealed record HealthStatus(string Status, string ModelVersion);
