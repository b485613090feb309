using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
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
    private readonly List<(long Timestamp, long Lag)> _lagSamples = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _published;
    private long _handled;
    private long _handlerCalls;
    private long _handlerMicroseconds;

    public PlatformObserver(StandalonePlatform platform)
    {
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
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "retention.eventbus.published")
            {
                Interlocked.Add(ref _published, value);
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
        _sampler = SampleLagAsync(_stop.Token);
    }

    /// <summary>Messages the Profiles consumer is behind, as it last observed.</summary>
    public long Lag => _consumers.Sum(c => c.Lag);

    public PlatformSnapshot Snapshot() => new(
        Stopwatch.GetTimestamp(),
        Interlocked.Read(ref _published),
        Interlocked.Read(ref _handled),
        Interlocked.Read(ref _handlerCalls),
        Interlocked.Read(ref _handlerMicroseconds) / 1_000_000.0,
        Environment.CpuUsage.TotalTime,
        PostgresCpu(),
        MachineBusy(),
        GC.GetTotalPauseDuration());

    /// <summary>The change since <paramref name="from"/>, with the largest consumer lag sampled in between.</summary>
    public PlatformDelta Since(PlatformSnapshot from)
    {
        var to = Snapshot();
        long maxLag;
        lock (_gate)
        {
            maxLag = _lagSamples.Where(s => s.Timestamp >= from.Timestamp).Select(s => s.Lag).DefaultIfEmpty(0).Max();
        }

        return new PlatformDelta(from, to, maxLag);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sampler.Wait(TimeSpan.FromSeconds(1));
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task SampleLagAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var sample = (Stopwatch.GetTimestamp(), Lag);
                lock (_gate)
                {
                    _lagSamples.Add(sample);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>Busy time of all CPUs from <c>/proc/stat</c> (everything but idle and iowait); zero elsewhere.</summary>
    private static TimeSpan MachineBusy()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var busy = fields.Sum() - fields[3] - fields[4];
            return TimeSpan.FromSeconds(busy / 100.0);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>User and system time of every process named <c>postgres</c>, from <c>/proc/[pid]/stat</c>.</summary>
    private static TimeSpan PostgresCpu()
    {
        long ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < open || stat[(open + 1)..close] != "postgres")
                {
                    continue;
                }

                // After the command come state (field 3) ... utime (14) and stime (15).
                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended meanwhile, or is not ours to read.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
