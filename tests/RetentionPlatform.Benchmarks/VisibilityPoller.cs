using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace RetentionPlatform.Benchmarks;

/// <summary>Polls <c>GET /v1/customers/{id}</c> until each customer's eventCount reaches what was sent to it.</summary>
public sealed class VisibilityPoller(HttpClient client, int concurrency)
{
    /// <summary>The customer's eventCount, or null while it has none (404).</summary>
    /// <exception cref="HttpRequestException">Any answer other than 200 or 404.</exception>
    public static async Task<long?> TryGetEventCountAsync(HttpClient client, string customerId, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"/v1/customers/{Uri.EscapeDataString(customerId)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, default, cancellationToken);
        return document.RootElement.GetProperty("eventCount").GetInt64();
    }

    /// <summary>Sweeps the customers still short of their count, every <paramref name="interval"/>, until all are complete or time is up.</summary>
    public async Task<VisibilityResult> WaitAsync(IReadOnlyList<(string CustomerId, int Expected)> customers, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken)
    {
        var seen = new long[customers.Count];
        var done = new bool[customers.Count];
        var pending = Enumerable.Range(0, customers.Count).Where(i => customers[i].Expected > 0).ToList();
        var expected = customers.Sum(c => (long)c.Expected);
        long lastVisible = Stopwatch.GetTimestamp();
        long gets = 0;

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (pending.Count > 0)
            {
                await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = limit.Token }, async (i, ct) =>
                {
                    Interlocked.Increment(ref gets);
                    long? count;
                    try
                    {
                        count = await TryGetEventCountAsync(client, customers[i].CustomerId, ct);
                    }
                    catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
                    {
                        // A failed or timed-out look: the next sweep tries again.
                        return;
                    }

                    var now = Stopwatch.GetTimestamp();
                    seen[i] = Math.Min(count ?? 0, customers[i].Expected);
                    if (count >= customers[i].Expected)
                    {
                        done[i] = true;
                        InterlockedMax(ref lastVisible, now);
                    }
                });

                pending.RemoveAll(i => done[i]);
                if (pending.Count > 0)
                {
                    await Task.Delay(interval, limit.Token);
                }
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Timed out: report how far it got.
        }

        return new VisibilityResult(pending.Count == 0, seen.Sum(), expected, lastVisible, Stopwatch.GetTimestamp(), gets);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var previous = Interlocked.CompareExchange(ref target, value, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }
}
