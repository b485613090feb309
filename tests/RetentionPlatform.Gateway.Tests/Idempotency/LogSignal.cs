using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RetentionPlatform.Gateway.Tests.Idempotency;

/// <summary>A logger provider that signals the first log entry of each event name, so tests wait on it instead of polling.</summary>
public sealed class LogSignal : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _first = new(StringComparer.Ordinal);

    /// <summary>Completes with the message of the first entry named <paramref name="eventName"/>, logged before or after this call.</summary>
    public Task<string> FirstAsync(string eventName) => Signal(eventName).Task;

    public ILogger CreateLogger(string categoryName) => new SignalLogger(this);

    public void Dispose()
    {
    }

    private TaskCompletionSource<string> Signal(string eventName) =>
        _first.GetOrAdd(eventName, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class SignalLogger(LogSignal owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is { } name)
            {
                owner.Signal(name).TrySetResult(formatter(state, exception));
            }
        }
    }
}
