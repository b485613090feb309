using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using NodaTime;
using RetentionPlatform.EventBus;

namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>
/// Publishes the outbox's due events to <c>retention.appointment-events.v1</c>: changes at once (woken by
/// <see cref="OutboxSignal"/>), reminders when their moment comes. Rows are claimed with <c>for update skip locked</c>,
/// so replicas share the work, and marked sent in the same transaction after Kafka acknowledged them; a crash in
/// between sends them again (consumers dedupe by event id), never loses them. Because the rows are in PostgreSQL, a
/// reminder due while the service was down goes out as soon as it is back, unless its appointment already started.
/// </summary>
public sealed partial class OutboxDispatcher(
    NpgsqlDataSource db,
    IEventPublisher publisher,
    OutboxSignal signal,
    TimeProvider time,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastCleanup = Instant.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await DispatchOnceAsync(stoppingToken);
                var now = Instant.FromDateTimeOffset(time.GetUtcNow());
                if (now - lastCleanup > Duration.FromHours(1))
                {
                    await CleanupAsync(now - Duration.FromTimeSpan(options.Value.KeepSent), stoppingToken);
                    lastCleanup = now;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogDispatchFailed(logger, e);
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }

            // A full batch means more may be due right away.
            if (sent < options.Value.BatchSize)
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Publishes one batch of due events; returns how many rows it settled.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var due = new List<(long Id, string Tenant, string Customer, string EventId, string Type, DateTime OccurredAt, string Payload, bool Expired)>();
        await using (var select = new NpgsqlCommand(
            """
            select id, tenant_id, customer_id, event_id, event_type, occurred_at, payload::text, coalesce(expires_at <= $1, false)
            from scheduling.outbox where published_at is null and due_at <= $1
            order by due_at, id limit $2
            for update skip locked
            """, connection, tx))
        {
            select.Parameters.Add(new() { Value = now });
            select.Parameters.Add(new() { Value = options.Value.BatchSize });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetDateTime(5), reader.GetString(6), reader.GetBoolean(7)));
            }
        }

        if (due.Count == 0)
        {
            return 0;
        }

        // Started in order and awaited together: one customer's events keep their order on their partition.
        var sends = due.Where(d => !d.Expired).Select(d => publisher.PublishAsync(
            EventTopics.AppointmentEvents,
            new EventEnvelope(d.EventId, d.Type, d.Tenant, d.Customer, new DateTimeOffset(d.OccurredAt, TimeSpan.Zero), 1, Encoding.UTF8.GetBytes(d.Payload)),
            ct)).ToList();
        await Task.WhenAll(sends);

        await using (var mark = new NpgsqlCommand(
            "update scheduling.outbox set published_at = $2, dropped = (expires_at is not null and expires_at <= $2) where id = any($1)", connection, tx))
        {
            mark.Parameters.Add(new() { Value = due.Select(d => d.Id).ToArray() });
            mark.Parameters.Add(new() { Value = now });
            await mark.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        var dropped = due.Count(d => d.Expired);
        if (dropped > 0)
        {
            LogDropped(logger, dropped);
        }

        return due.Count;
    }

    private async Task CleanupAsync(Instant before, CancellationToken ct)
    {
        await using var command = db.CreateCommand("delete from scheduling.outbox where published_at is not null and published_at < $1");
        command.Parameters.Add(new() { Value = before.ToDateTimeUtc() });
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing appointment events failed; retrying.")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped {Count} reminder(s) whose appointment had already started.")]
    private static partial void LogDropped(ILogger logger, int count);
}
