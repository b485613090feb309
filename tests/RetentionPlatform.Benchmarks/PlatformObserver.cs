using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using RetentionPlatform.EventBus;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Watches the platform from outside its code: the event bus's own meters (published, handled, handler
/// duration), the Profiles consumer's lag, and CPU time of this process, of PostgreSQL and of the machine.
/// </summary>
public sealed class PlatformObserver : IDisposable
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);

    private readonly MeterListener _listener = new();
    private readonly List<KafkaConsumerService> _consumers;
    private readonly List<(long Timestamp, long Lag, int Threads, long Queued)> _samples = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly int _postgresPort;
    private long _published;
    private long _handled;
    private long _handlerCalls;
    private long _handlerMicroseconds;

    public PlatformObserver(StandalonePlatform platform)
    {
        _postgresPort = new NpgsqlConnectionStringBuilder(platform.PostgresConnectionString).Port;
        _consumers = platform.Services.TryGetValue("profiles", out var profiles)
            ? [.. profiles.Services.GetServices<IHostedService>().OfType<KafkaConsumerService>()]
            : [];

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EventBusTelemetry.Name
                && instrument.Name is "retention.eventbus.published" or "retention.eventbus.handled" or "retention.eventbus.handle.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "retention.eventbus.published")
            {
                // Only what the Profiles consumer reads (not the breakdown's scratch topic).
                foreach (var tag in tags)
                {
                    if (tag is { Key: "messaging.destination.name", Value: EventTopics.CustomerEvents })
                    {
                        Interlocked.Add(ref _published, value);
                    }
                }
            }
            else
            {
                Interlocked.Add(ref _handled, value);
            }
        });
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            Interlocked.Increment(ref _handlerCalls);
            Interlocked.Add(ref _handlerMicroseconds, (long)(seconds * 1_000_000));
        });
        _listener.Start();
        _sampler = SampleAsync(_stop.Token);
    }

    /// <summary>Messages the Profiles consumer is behind, as it last observed.</summary>
    public long Lag => _consumers.Sum(c => c.Lag);

    /// <summary>Waits until the Profiles consumer has applied everything published to the customer-events topic.</summary>
    public async Task WaitDrainedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _handled) < Interlocked.Read(ref _published) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>What the platform does with no load at all, over <paramref name="window"/>.</summary>
    public async Task<PlatformDelta> MeasureIdleAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var before = Snapshot();
        await Task.Delay(window, cancellationToken);
        return Since(before);
    }

    public PlatformSnapshot Snapshot() => new(
        Stopwatch.GetTimestamp(),
        Interlocked.Read(ref _published),
        Interlocked.Read(ref _handled),
        Interlocked.Read(ref _handlerCalls),
        Interlocked.Read(ref _handlerMicroseconds) / 1_000_000.0,
        Environment.CpuUsage.TotalTime,
        CpuTime.Postgres(_postgresPort),
        CpuTime.MachineBusy(),
        GC.GetTotalPauseDuration(),
        CpuTime.ThreadsOfThisProcess());

    /// <summary>The change since <paramref name="from"/>, with the largest consumer lag and thread-pool size sampled in between.</summary>
    public PlatformDelta Since(PlatformSnapshot from)
    {
        var to = Snapshot();
        long maxLag, maxQueued;
        int maxThreads;
        lock (_gate)
        {
            var window = _samples.Where(s => s.Timestamp >= from.Timestamp).ToList();
            maxLag = window.Select(s => s.Lag).DefaultIfEmpty(0).Max();
            maxThreads = window.Select(s => s.Threads).DefaultIfEmpty(ThreadPool.ThreadCount).Max();
            maxQueued = window.Select(s => s.Queued).DefaultIfEmpty(0).Max();
        }

        return new PlatformDelta(from, to, maxLag, maxThreads, maxQueued);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sampler.Wait(TimeSpan.FromSeconds(1));
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var sample = (Stopwatch.GetTimestamp(), Lag, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount);
                lock (_gate)
                {
                    _samples.Add(sample);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }
}
