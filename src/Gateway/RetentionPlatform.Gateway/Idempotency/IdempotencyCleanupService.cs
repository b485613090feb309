using Microsoft.Extensions.Options;

namespace RetentionPlatform.Gateway.Idempotency;

/// <summary>Deletes idempotency records older than the retention, every <see cref="IdempotencyOptions.CleanupInterval"/>.</summary>
internal sealed partial class IdempotencyCleanupService(
    IdempotencyStore store,
    IOptions<IdempotencyOptions> options,
    TimeProvider time,
    ILogger<IdempotencyCleanupService> logger) : BackgroundService
{
    private const int BatchSize = 1000;

    // Created with the service, not in ExecuteAsync (which runs later, on the thread pool), so the first
    // interval counts from the host's start.
    private readonly PeriodicTimer _timer = new(options.Value.CleanupInterval, time);

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var cutoff = time.GetUtcNow() - options.Value.Retention;
                    var deleted = await store.DeleteExpiredAsync(cutoff, BatchSize, stoppingToken);
                    if (deleted > 0)
                    {
                        LogExpiredDeleted(logger, deleted, cutoff);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogCleanupFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1, EventName = "IdempotencyRecordsExpired", Level = LogLevel.Information,
        Message = "Deleted {Count} idempotency records created before {Cutoff}")]
    private static partial void LogExpiredDeleted(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired idempotency records failed; trying again at the next interval")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception);
}
