using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mic.TestSupport;

/// <summary>Keeps every formatted message (with its exception's message) for a test to read. Thread-safe.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _messages.Enqueue(exception is null ? formatter(state, exception) : $"{formatter(state, exception)} ({exception.Message})");
}
