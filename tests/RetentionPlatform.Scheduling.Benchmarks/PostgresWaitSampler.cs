using System.Globalization;
using Npgsql;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>
/// Samples what the database's backends are doing, every 50 ms, from pg_stat_activity: running (on a CPU or waiting
/// for one), waiting on a lock (another transaction holds the slot), writing or flushing WAL (the commit), or idle
/// inside a transaction (waiting for the service's next statement: a round trip). Averaged over the samples, it shows
/// where a request's time in PostgreSQL goes.
/// </summary>
internal sealed class PostgresWaitSampler : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, long> _backends = new(StringComparer.Ordinal);
    private readonly Task _sampling;
    private int _samples;
    private int _maxConnections;

    private PostgresWaitSampler(NpgsqlDataSource db)
    {
        _db = db;
        _sampling = Task.Run(SampleAsync);
    }

    public static PostgresWaitSampler Start(NpgsqlDataSource db) => new(db);

    /// <summary>Stops sampling and describes the average number of backends in each state, busiest first.</summary>
    public async Task<string> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        if (_samples == 0)
        {
            return "no samples";
        }

        var states = _backends.OrderByDescending(p => p.Value).Take(6)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {(double)p.Value / _samples:0.0}"));
        return string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", states)} (backends on average over {_samples} samples; at most {_maxConnections} connections open)");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        try
        {
            await using var connection = await _db.OpenConnectionAsync(_stop.Token);
            await using var command = new NpgsqlCommand(
                """
                select case when state = 'active' then coalesce(wait_event_type || ':' || wait_event, 'running') else state end, count(*)::int
                from pg_stat_activity
                where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
                group by 1
                """, connection);
            while (!_stop.IsCancellationRequested)
            {
                var connections = 0;
                await using (var reader = await command.ExecuteReaderAsync(_stop.Token))
                {
                    while (await reader.ReadAsync(_stop.Token))
                    {
                        var state = reader.GetString(0);
                        var count = reader.GetInt32(1);
                        connections += count;
                        if (state != "idle")
                        {
                            _backends[state] = _backends.GetValueOrDefault(state) + count;
                        }
                    }
                }

                _samples++;
                _maxConnections = Math.Max(_maxConnections, connections);
                await Task.Delay(50, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
