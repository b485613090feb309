using Microsoft.Extensions.Options;

namespace RetentionPlatform.Events.Infrastructure;

/// <summary>
/// Forgets received event ids older than <see cref="ReceivedEventsOptions.DuplicateWindow"/>: once when the service
/// starts (it may have been down for a while), then every <see cref="ReceivedEventsOptions.DuplicateCleanupInterval"/>.
/// Several instances may run it at once; deleting is idempotent.
/// </summary>
public sealed partial class ReceivedEventsCleanup(
    ReceivedEvents received,
    IOptions<ReceivedEventsOptions> options,
    TimeProvider time,
    ILogger<ReceivedEventsCleanup> logger) : BackgroundService
{
    /// <summary>Rows deleted per statement, so one run never holds locks on a large backlog in one go.</summary>
    public const int DeleteBatchSize = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DuplicateCleanupInterval, time);
        try
        {
            do
            {
                await CleanUpAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CleanUpAsync(CancellationToken stoppingToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.DuplicateWindow;
        var deleted = 0;
        try
        {
            int batch;
            do
            {
                batch = await received.DeleteReceivedBeforeAsync(cutoff, DeleteBatchSize, stoppingToken);
                deleted += batch;
            }
            while (batch == DeleteBatchSize);

            LogCleanedUp(logger, deleted, cutoff);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogCleanupFailed(logger, ex, deleted);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Forgot {Count} received event ids from before {Cutoff}")]
    private static partial void LogCleanedUp(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Forgetting old received event ids failed after {Count}; trying again at the next interval")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, int count);
}
