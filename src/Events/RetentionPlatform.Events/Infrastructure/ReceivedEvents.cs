using Npgsql;

namespace RetentionPlatform.Events.Infrastructure;

/// <summary>
/// The record of event ids each tenant has sent (<c>events.received_events</c>, migration 0001). Every statement
/// is filtered by tenant and handles a whole request's ids in one round trip.
/// </summary>
public sealed class ReceivedEvents(NpgsqlDataSource dataSource)
{
    /// <summary>Which of <paramref name="eventIds"/> the tenant has sent before.</summary>
    public async Task<HashSet<string>> FindReceivedAsync(string tenantId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        var received = new HashSet<string>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand(
            "select event_id from events.received_events where tenant_id = $1 and event_id = any($2)");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = eventIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            received.Add(reader.GetString(0));
        }

        return received;
    }

    /// <summary>Records <paramref name="eventIds"/> as received; ids recorded before keep their first time.</summary>
    public async Task RecordAsync(string tenantId, IReadOnlyCollection<string> eventIds, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            insert into events.received_events (tenant_id, event_id, received_at)
            select $1, unnest($2::text[]), $3
            on conflict (tenant_id, event_id) do nothing
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = eventIds.ToArray() });
        command.Parameters.Add(new() { Value = receivedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes up to <paramref name="limit"/> ids received before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> DeleteReceivedBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            with expired as (
                select tenant_id, event_id from events.received_events where received_at < $1 limit $2
            )
            delete from events.received_events r
            using expired e
            where r.tenant_id = e.tenant_id and r.event_id = e.event_id
            """);
        command.Parameters.Add(new() { Value = cutoff });
        command.Parameters.Add(new() { Value = limit });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
