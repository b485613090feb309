using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using RetentionPlatform.EventBus;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>
/// Publishes the delivery log's new rows to <c>retention.message-events.v1</c>, in log order, and marks them published
/// in the same transaction after Kafka acknowledged them: at least once, never lost (consumers dedupe by event id).
/// Rows are claimed with <c>for update skip locked</c>, so replicas share the work. Profiles consumes the topic, so sends,
/// opens, clicks, bounces, unsubscribes and feedback reach the customer's profile.
/// </summary>
public sealed partial class MessageEventPublisher(
    NpgsqlDataSource db,
    IEventPublisher publisher,
    PipelineSignals signals,
    IOptions<NotificationsOptions> options,
    TimeProvider time,
    ILogger<MessageEventPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                published = await PublishOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPublishFailed(logger, e);
            }

            if (published < options.Value.BatchSize)
            {
                try
                {
                    await signals.Publish.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Publishes one batch of unpublished log rows; returns how many.</summary>
    public async Task<int> PublishOnceAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var rows = new List<(long Id, string Tenant, string Customer, string EventId, string Type, DateTime OccurredAt, string Payload)>();
        await using (var select = new NpgsqlCommand(
            """
            select id, tenant_id, customer_id, event_id, event_type, occurred_at, payload::text
            from notifications.message_log where published_at is null
            order by id limit $1
            for update skip locked
            """, connection, tx))
        {
            select.Parameters.Add(new() { Value = options.Value.BatchSize });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetDateTime(5), reader.GetString(6)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        // Started in order and awaited together: one customer's events keep their order on their partition.
        await Task.WhenAll(rows.Select(r => publisher.PublishAsync(
            EventTopics.MessageEvents,
            new EventEnvelope(r.EventId, r.Type, r.Tenant, r.Customer, new DateTimeOffset(r.OccurredAt, TimeSpan.Zero), 1, Encoding.UTF8.GetBytes(r.Payload)),
            ct)).ToList());

        await using (var mark = new NpgsqlCommand("update notifications.message_log set published_at = $2 where id = any($1)", connection, tx))
        {
            mark.Parameters.Add(new() { Value = rows.Select(r => r.Id).ToArray() });
            mark.Parameters.Add(new() { Value = time.GetUtcNow().UtcDateTime });
            await mark.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return rows.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing message events failed; retrying.")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
