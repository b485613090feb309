using Npgsql;

namespace RetentionPlatform.Profiles.Infrastructure;

/// <summary>
/// Wakes customer grains whose stored wake-up time (<see cref="IScheduledWake"/>) is due or about to be, so a
/// time condition ("no order for 60 days") takes effect at its moment even when the grain was deactivated or
/// its silo died. Grains activated a little early arm their own timer for the exact moment. One silo scans at a
/// time (a PostgreSQL advisory lock), so a cluster does not wake the same grain once per silo.
/// </summary>
public sealed partial class GrainWakeupScanner(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    TimeProvider time,
    IConfiguration configuration,
    ILogger<GrainWakeupScanner> logger) : BackgroundService
{
    /// <summary>Grains woken per scan at most; the rest wait for the next scan.</summary>
    public const int BatchSize = 1000;

    private const long AdvisoryLockKey = 0x5265_7465_5761_6B65; // "RetWake"
    private const string GrainIdPrefix = "customer/";

    private TimeSpan Interval => configuration.GetValue("Profiles:WakeupScanInterval", TimeSpan.FromSeconds(5));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                var woken = await ScanAsync(stoppingToken);
                if (woken > 0)
                {
                    LogWoken(logger, woken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogScanFailed(logger, ex);
            }
        }
    }

    /// <summary>Wakes every grain due within the next interval; returns how many.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand("select pg_try_advisory_xact_lock($1)", connection, transaction))
        {
            locking.Parameters.Add(new() { Value = AdvisoryLockKey });
            if (await locking.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        var due = new List<string>();
        await using (var command = new NpgsqlCommand(
            "select grain_id from profiles.grain_state where wake_at <= $1 and state_name = 'customer' order by wake_at limit $2", connection, transaction))
        {
            command.Parameters.Add(new() { Value = time.GetUtcNow() + Interval });
            command.Parameters.Add(new() { Value = BatchSize });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(reader.GetString(0));
            }
        }

        await Parallel.ForEachAsync(
            due.Where(id => id.StartsWith(GrainIdPrefix, StringComparison.Ordinal)),
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (grainId, _) => await grains.GetGrain<ICustomerGrain>(grainId[GrainIdPrefix.Length..]).RefreshAsync());
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Woke {Count} customer grains whose time conditions came due")]
    private static partial void LogWoken(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanning for customer grains to wake failed; trying again at the next interval")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
