using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using RetentionPlatform.Recommendations.Model;

namespace RetentionPlatform.Recommendations.Infrastructure;

/// <summary>
/// The service's tables (migration 0001): catalog, interactions, carts. Every statement is filtered by tenant and
/// handles a whole request's or event batch's rows in one round trip.
/// </summary>
public sealed class RecommendationStore(NpgsqlDataSource dataSource)
{
    /// <summary>Creates or replaces items (ids unique within the call); returns each item's creation time as stored.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> UpsertItemsAsync(string tenantId, IReadOnlyList<CatalogItem> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Rows are locked in the order they are sent: in item-id order (as the event processor touches them), two
        // concurrent batches naming the same items wait for each other instead of deadlocking.
        items = [.. items.OrderBy(i => i.ItemId, StringComparer.Ordinal)];
        await using var command = dataSource.CreateCommand("""
            insert into recommendations.items as i (tenant_id, item_id, name, category, price, available, hidden, removed, created_at, updated_at)
            select $1, u.item_id, u.name, u.category, u.price, u.available, u.hidden, false, $7, $7
            from unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::boolean[], $8::boolean[]) as u(item_id, name, category, price, available, hidden)
            on conflict (tenant_id, item_id) do update set
                name = excluded.name, category = excluded.category, price = excluded.price, available = excluded.available,
                hidden = excluded.hidden, removed = false, updated_at = excluded.updated_at,
                created_at = case when i.removed then excluded.created_at else i.created_at end
            returning item_id, created_at
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = items.Select(i => i.ItemId).ToArray() });
        command.Parameters.Add(new() { Value = items.Select(i => i.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = items.Select(i => i.Category).ToArray() });
        command.Parameters.Add(new() { Value = items.Select(i => i.Price).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = items.Select(i => i.Available).ToArray() });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = items.Select(i => i.Hidden).ToArray() });
        var created = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            created[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return created;
    }

    /// <summary>Marks an item removed (a tombstone); false when the tenant has no such item.</summary>
    public async Task<bool> RemoveItemAsync(string tenantId, string itemId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "update recommendations.items set removed = true, updated_at = $3 where tenant_id = $1 and item_id = $2 and not removed");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = itemId });
        command.Parameters.Add(new() { Value = now });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Records what one customer's events did, in one transaction: items the events name (created when unknown, their
    /// attributes updated unless removed, and only when they changed: a view naming a popular item must not rewrite and
    /// lock its row each time), the interactions (returning only those not recorded before, so a redelivered
    /// event is applied once), and the cart when it changed.
    /// </summary>
    public async Task<List<RecordedInteraction>> RecordEventsAsync(
        string tenantId,
        string customerId,
        IReadOnlyCollection<ItemAttributes> items,
        IReadOnlyList<RecordedInteraction> interactions,
        (string[] ItemIds, DateTimeOffset At)? cart,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        // Rows are touched in id order, so two customers' events naming the same items cannot deadlock on them.
        items = [.. items.OrderBy(i => i.ItemId, StringComparer.Ordinal)];
        if (items.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                insert into recommendations.items (tenant_id, item_id, name, category, price, available, created_at, updated_at)
                select $1, u.item_id, u.name, coalesce(u.category, $7), u.price, coalesce(u.available, true), $6, $6
                from unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $8::boolean[]) as u(item_id, name, category, price, available)
                on conflict (tenant_id, item_id) do nothing
                """,
                tenantId,
                items.Select(i => i.ItemId).ToArray(),
                Nullable(items.Select(i => i.Name).ToArray(), NpgsqlDbType.Text),
                Nullable(items.Select(i => i.Category).ToArray(), NpgsqlDbType.Text),
                Nullable(items.Select(i => i.Price).ToArray(), NpgsqlDbType.Numeric),
                now,
                CatalogItem.Uncategorised,
                Nullable(items.Select(i => i.Available).ToArray(), NpgsqlDbType.Boolean)));
            var described = items.Where(i => i.SaysAnything).ToArray();
            if (described.Length > 0)
            {
                batch.BatchCommands.Add(Command("""
                    update recommendations.items i set
                        name = coalesce(u.name, i.name), category = coalesce(u.category, i.category), price = coalesce(u.price, i.price),
                        available = coalesce(u.available, i.available), updated_at = $6
                    from unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $7::boolean[]) as u(item_id, name, category, price, available)
                    where i.tenant_id = $1 and i.item_id = u.item_id and not i.removed
                      and (coalesce(u.name, i.name), coalesce(u.category, i.category), coalesce(u.price, i.price), coalesce(u.available, i.available))
                          is distinct from (i.name, i.category, i.price, i.available)
                    """,
                    tenantId,
                    described.Select(i => i.ItemId).ToArray(),
                    Nullable(described.Select(i => i.Name).ToArray(), NpgsqlDbType.Text),
                    Nullable(described.Select(i => i.Category).ToArray(), NpgsqlDbType.Text),
                    Nullable(described.Select(i => i.Price).ToArray(), NpgsqlDbType.Numeric),
                    now,
                    Nullable(described.Select(i => i.Available).ToArray(), NpgsqlDbType.Boolean)));
            }
        }

        if (interactions.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                insert into recommendations.interactions (tenant_id, event_id, item_id, customer_id, kind, occurred_at)
                select $1, u.event_id, u.item_id, $2, u.kind, u.occurred_at
                from unnest($3::text[], $4::text[], $5::smallint[], $6::timestamptz[]) as u(event_id, item_id, kind, occurred_at)
                on conflict (tenant_id, event_id, item_id) do nothing
                returning event_id, item_id
                """,
                tenantId,
                customerId,
                interactions.Select(i => i.EventId).ToArray(),
                interactions.Select(i => i.Interaction.ItemId).ToArray(),
                interactions.Select(i => (short)i.Interaction.Kind).ToArray(),
                interactions.Select(i => i.Interaction.OccurredAt).ToArray()));
        }

        if (cart is { } newCart)
        {
            batch.BatchCommands.Add(Command("""
                insert into recommendations.carts (tenant_id, customer_id, item_ids, updated_at) values ($1, $2, $3, $4)
                on conflict (tenant_id, customer_id) do update set item_ids = excluded.item_ids, updated_at = excluded.updated_at
                where carts.updated_at <= excluded.updated_at
                """,
                tenantId, customerId, newCart.ItemIds, newCart.At));
        }

        // Only the interactions' insert returns rows (Npgsql's reader skips the statements that return none).
        var recorded = new HashSet<(string, string)>();
        if (batch.BatchCommands.Count > 0)
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    recorded.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return [.. interactions.Where(i => recorded.Contains((i.EventId, i.Interaction.ItemId)))];
    }

    /// <summary>Deletes everything recorded about one customer (erasure): interactions and cart.</summary>
    public async Task EraseCustomerAsync(string tenantId, string customerId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("delete from recommendations.interactions where tenant_id = $1 and customer_id = $2", tenantId, customerId));
        batch.BatchCommands.Add(Command("delete from recommendations.carts where tenant_id = $1 and customer_id = $2", tenantId, customerId));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes interactions older than <paramref name="cutoff"/> (their weight has decayed to nothing).</summary>
    public async Task<int> DeleteInteractionsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from recommendations.interactions where occurred_at < $1");
        command.Parameters.Add(new() { Value = cutoff });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every tenant's catalog items, removed ones included (as tombstones).</summary>
    public async IAsyncEnumerable<(string TenantId, CatalogItem Item, bool Removed)> ReadItemsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select tenant_id, item_id, name, category, price, available, hidden, removed, created_at from recommendations.items");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (
                reader.GetString(0),
                new CatalogItem(
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                    reader.GetBoolean(5),
                    reader.GetBoolean(6),
                    reader.GetFieldValue<DateTimeOffset>(8)),
                reader.GetBoolean(7));
        }
    }

    /// <summary>Every tenant's interactions since <paramref name="since"/>, per tenant in the order they happened.</summary>
    public async IAsyncEnumerable<(string TenantId, Interaction Interaction)> ReadInteractionsAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select tenant_id, customer_id, item_id, kind, occurred_at from recommendations.interactions
            where occurred_at >= $1 order by tenant_id, occurred_at
            """);
        command.Parameters.Add(new() { Value = since });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (reader.GetString(0), new Interaction(reader.GetString(1), reader.GetString(2), (InteractionKind)reader.GetInt16(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }
    }

    /// <summary>Every customer's cart.</summary>
    public async IAsyncEnumerable<(string TenantId, string CustomerId, string[] ItemIds, DateTimeOffset At)> ReadCartsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select tenant_id, customer_id, item_ids, updated_at from recommendations.carts");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetFieldValue<DateTimeOffset>(3));
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static NpgsqlParameter Nullable<T>(T[] values, NpgsqlDbType elementType) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | elementType };
}
