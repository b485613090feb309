using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RetentionPlatform.Events.Infrastructure;

namespace RetentionPlatform.Events.Tests;

/// <summary>
/// Tracks the runs of <see cref="ReceivedEventsCleanup"/> through its log (one entry per run with the number of ids
/// it forgot), so a test waits for a run instead of sleeping.
/// </summary>
public sealed class CleanupRuns : ILoggerProvider
{
    private static readonly string Category = typeof(ReceivedEventsCleanup).FullName!;
    private readonly Channel<int> _runs = Channel.CreateUnbounded<int>();

    /// <summary>Lets this provider see the cleanup's per-run entries (they are logged at Debug level).</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        logging.AddProvider(this);
        logging.AddFilter<CleanupRuns>(Category, LogLevel.Debug);
    }

    /// <summary>Waits for the next run and returns how many ids it forgot.</summary>
    public async Task<int> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _runs.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Waits for a run that forgot at least one id and returns how many.</summary>
    public async Task<int> NextForgettingAsync()
    {
        int forgotten;
        while ((forgotten = await NextAsync()) == 0)
        {
        }

        return forgotten;
    }

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new RunLogger(_runs.Writer) : NullLogger.Instance;

    public void Dispose() => _runs.Writer.TryComplete();

    private sealed class RunLogger(ChannelWriter<int> runs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == "LogCleanedUp" && state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "Count").Value is int count)
            {
                runs.TryWrite(count);
            }
        }
    }
}
