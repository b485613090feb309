using System.Collections.Concurrent;
using System.Diagnostics;

namespace RetentionPlatform.Benchmarks;

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers, each posting its next event as soon as the previous one is
/// answered, until the count is reached or the time limit passes. Events go round robin over the customers.
/// </summary>
public sealed class ClosedLoopLoad(HttpClient client, EventBodies bodies, int concurrency)
{
    public const string EventsPath = "/v1/events";

    public async Task<ClosedLoopResult> RunAsync(string phase, long events, IReadOnlyList<string> customers, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        var next = new long[1];
        var sentCount = new long[1];
        var accepted = new long[1];
        var perCustomer = new int[customers.Count];
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var latency = new LatencySamples((int)Math.Min(events, 1_000_000));
        var timedOut = false;

        var processCpu = Environment.CpuUsage.TotalTime;
        var machineCpu = CpuTime.MachineBusy();
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(timeLimit.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var sequence = Interlocked.Increment(ref next[0]) - 1;
                if (sequence >= events)
                {
                    return;
                }

                if (Stopwatch.GetTimestamp() > deadline)
                {
                    timedOut = true;
                    return;
                }

                var customer = (int)(sequence % customers.Count);
                Interlocked.Increment(ref sentCount[0]);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var content = bodies.Create(phase, sequence, customers[customer]);
                    using var response = await client.PostAsync(EventsPath, content, cancellationToken);
                    latency.RecordSince(sent);
                    if ((int)response.StatusCode == StatusCodes.Status202Accepted)
                    {
                        Interlocked.Increment(ref accepted[0]);
                        Interlocked.Increment(ref perCustomer[customer]);
                    }
                    else
                    {
                        failures.AddOrUpdate($"HTTP {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    failures.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
                }
            }
        }, CancellationToken.None)).ToList();

        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
        }

        var end = Stopwatch.GetTimestamp();
        return new ClosedLoopResult(Interlocked.Read(ref sentCount[0]), Interlocked.Read(ref accepted[0]), perCustomer, failures, latency.Summarize(), start, end, timedOut,
            Environment.CpuUsage.TotalTime - processCpu, CpuTime.MachineBusy() - machineCpu);
    }
}
