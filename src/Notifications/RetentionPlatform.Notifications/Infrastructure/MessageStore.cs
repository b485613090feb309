using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RetentionPlatform.Notifications.Model;

namespace RetentionPlatform.Notifications.Infrastructure;

/// <summary>
/// Messages and their delivery log in PostgreSQL (schema <c>notifications</c>). Every change of a message and the log
/// events that record it are written in one transaction, so the log (the outbox of message events) never disagrees
/// with the message. Workers claim due messages with a lease (<c>for update skip locked</c>), so replicas share the
/// work and a message a crashed worker held is taken over when its lease ends.
/// </summary>
public sealed class MessageStore(NpgsqlDataSource db)
{
    private const string Columns =
        """
        tenant_id, message_id, idempotency_key, customer_id, template_id, locale, channels, purpose, kind, data::text, source, status,
        channel, reason, detail, attempts, due_at, address, recipient_name, subject, html, text_body, rendered_locale, provider_id,
        created_at, updated_at, sent_at
        """;

    /// <summary>
    /// Stores a new message (status pending, due at <paramref name="request"/>'s SendAt or now) with its
    /// <c>message_requested</c> log event, or finds the message stored earlier under the same idempotency key.
    /// </summary>
    public async Task<(Message Message, bool Created)> AcceptAsync(string tenantId, NotificationRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var messageId = Guid.CreateVersion7(now);
        var due = request.SendAt is { } at && at > now ? at : now;
        var data = request.Data.ValueKind == JsonValueKind.Object ? request.Data.GetRawText() : null;
        var properties = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["messageId"] = messageId,
            ["templateId"] = request.TemplateId,
            ["purpose"] = Names.Of(request.Purpose),
            ["kind"] = request.Kind,
            ["channels"] = request.Channels.Select(Names.Of).ToArray(),
            ["source"] = request.Source,
            ["sendAt"] = request.SendAt,
        });

        await using var command = db.CreateCommand(
            $"""
            with inserted as (
                insert into notifications.messages (tenant_id, message_id, idempotency_key, customer_id, template_id, locale, channels, purpose, kind,
                    data, source, status, due_at, created_at, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, 'pending', $12, $13, $13)
                on conflict (tenant_id, idempotency_key) do nothing
                returning {Columns}),
            logged as (
                insert into notifications.message_log (tenant_id, message_id, customer_id, event_id, event_type, occurred_at, payload)
                select tenant_id, message_id, customer_id, message_id::text || ':requested', 'message_requested', $13, jsonb_build_object('properties', $14::jsonb)
                from inserted
                on conflict (tenant_id, event_id) do nothing)
            select {Columns}, true from inserted
            union all
            select {Columns}, false from notifications.messages where tenant_id = $1 and idempotency_key = $3 and not exists (select 1 from inserted)
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = messageId });
        command.Parameters.Add(new() { Value = request.IdempotencyKey });
        command.Parameters.Add(new() { Value = request.CustomerId });
        command.Parameters.Add(new() { Value = request.TemplateId });
        command.Parameters.Add(new() { Value = (object?)request.Locale ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = request.Channels.Select(Names.Of).ToArray() });
        command.Parameters.Add(new() { Value = Names.Of(request.Purpose) });
        command.Parameters.Add(new() { Value = request.Kind });
        command.Parameters.Add(new() { Value = (object?)data ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = request.Source });
        command.Parameters.Add(new() { Value = due.UtcDateTime });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        command.Parameters.Add(new() { Value = properties });
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                return (Read(reader), reader.GetBoolean(27));
            }
        }

        // A concurrent request with the same key committed after this statement's snapshot was taken: the conflict
        // saw its row, the select could not. A new statement sees it.
        await using var again = db.CreateCommand($"select {Columns} from notifications.messages where tenant_id = $1 and idempotency_key = $2");
        again.Parameters.Add(new() { Value = tenantId });
        again.Parameters.Add(new() { Value = request.IdempotencyKey });
        await using var existing = await again.ExecuteReaderAsync(ct);
        return await existing.ReadAsync(ct)
            ? (Read(existing), false)
            : throw new InvalidOperationException("The message under this idempotency key was removed concurrently.");
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due messages in one of <paramref name="statuses"/> for
    /// <paramref name="lease"/>; a message whose lease ran out (its worker died) can be claimed again.
    /// </summary>
    public async Task<IReadOnlyList<Message>> ClaimAsync(IReadOnlyList<MessageStatus> statuses, int limit, TimeSpan lease, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"""
            update notifications.messages m set lease_until = $3
            from (select tenant_id, message_id from notifications.messages
                  where status = any($1) and due_at <= $4 and (lease_until is null or lease_until < $4)
                  order by due_at limit $2
                  for update skip locked) due
            where m.tenant_id = due.tenant_id and m.message_id = due.message_id
            returning {string.Join(", ", Columns.Split(',').Select(c => "m." + c.Trim()))}
            """);
        command.Parameters.Add(new() { Value = statuses.Select(Names.Of).ToArray() });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = (now + lease).UtcDateTime });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        var claimed = new List<Message>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimed.Add(Read(reader));
        }

        return claimed;
    }

    /// <summary>
    /// Writes the outcome of a batch of pipeline steps, and their log events, in one transaction. Rows are updated in key
    /// order, and a deadlock or serialization failure (an erasure touching the same customer's rows at that moment) is
    /// retried: losing this write after a delivery would send the messages again once their lease ran out.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<MessageUpdate> updates, DateTimeOffset now, CancellationToken ct)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var ordered = updates.OrderBy(u => u.Message.TenantId, StringComparer.Ordinal).ThenBy(u => u.Message.MessageId).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyOnceAsync(ordered, now, ct);
                return;
            }
            catch (Exception e) when (attempt < 5 && IsRetryable(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), ct);
            }
        }
    }

    private static bool IsRetryable(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }
        || e is NpgsqlException { IsTransient: true };

    private async Task ApplyOnceAsync(IReadOnlyList<MessageUpdate> updates, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var update in updates)
        {
            var message = update.Message;
            var rendered = update.Rendered;
            var command = new NpgsqlBatchCommand(
                """
                update notifications.messages set status = $3, due_at = $4, reason = $5, detail = $6, attempts = $7, lease_until = null, updated_at = $8,
                    channel = coalesce($9, channel), address = coalesce($10, address), recipient_name = coalesce($11, recipient_name),
                    subject = coalesce($12, subject), html = coalesce($13, html), text_body = coalesce($14, text_body),
                    rendered_locale = coalesce($15, rendered_locale), provider_id = coalesce($16, provider_id),
                    sent_at = case when $3 = 'sent' then $8 else sent_at end
                where tenant_id = $1 and message_id = $2 and status not in ('sent', 'denied', 'failed', 'cancelled')
                """);
            command.Parameters.Add(new() { Value = message.TenantId });
            command.Parameters.Add(new() { Value = message.MessageId });
            command.Parameters.Add(new() { Value = Names.Of(update.Status) });
            command.Parameters.Add(new() { Value = update.DueAt.UtcDateTime });
            command.Parameters.Add(Text(update.Reason));
            command.Parameters.Add(Text(update.Detail));
            command.Parameters.Add(new() { Value = update.Attempts });
            command.Parameters.Add(new() { Value = now.UtcDateTime });
            command.Parameters.Add(Text(rendered is null ? null : Names.Of(rendered.Channel)));
            command.Parameters.Add(Text(rendered?.Address));
            command.Parameters.Add(Text(rendered?.RecipientName));
            command.Parameters.Add(Text(rendered?.Content.Subject));
            command.Parameters.Add(Text(rendered?.Content.Html));
            command.Parameters.Add(Text(rendered?.Content.Text));
            command.Parameters.Add(Text(rendered?.Locale));
            command.Parameters.Add(Text(update.ProviderId));
            batch.BatchCommands.Add(command);
            foreach (var log in update.Events)
            {
                batch.BatchCommands.Add(LogCommand(message.TenantId, message.MessageId, message.CustomerId, log));
            }
        }

        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Writes log events about a message (an open, a click, an unsubscribe); a repeated event id is written once. Returns how many were new.</summary>
    public async Task<int> LogAsync(string tenantId, Guid? messageId, string customerId, IReadOnlyList<LogEvent> events, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        foreach (var log in events)
        {
            batch.BatchCommands.Add(LogCommand(tenantId, messageId, customerId, log));
        }

        return await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task<Message?> FindAsync(string tenantId, Guid messageId, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select {Columns} from notifications.messages where tenant_id = $1 and message_id = $2");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = messageId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>A customer's messages, newest first.</summary>
    public async Task<IReadOnlyList<Message>> ListForCustomerAsync(string tenantId, string customerId, int limit, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select {Columns} from notifications.messages where tenant_id = $1 and customer_id = $2 order by created_at desc, message_id desc limit $3");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = customerId });
        command.Parameters.Add(new() { Value = limit });
        var messages = new List<Message>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            messages.Add(Read(reader));
        }

        return messages;
    }

    /// <summary>A message's delivery log, oldest first.</summary>
    public async Task<IReadOnlyList<MessageLogEntry>> LogOfAsync(string tenantId, Guid messageId, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            "select event_type, occurred_at, (payload -> 'properties')::text from notifications.message_log where tenant_id = $1 and message_id = $2 order by id");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = messageId });
        var entries = new List<MessageLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new MessageLogEntry(reader.GetString(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero), reader.IsDBNull(2) ? "{}" : reader.GetString(2)));
        }

        return entries;
    }

    /// <summary>
    /// Erases a customer: messages not sent yet are withdrawn, and every message and log row loses what identifies
    /// the customer or what they were told (address, name, content, data); the log keeps only anonymous counts.
    /// Unpublished log rows are deleted, so no event about the customer leaves after the erasure.
    /// </summary>
    public async Task<int> EraseCustomerAsync(string tenantId, string customerId, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        var delete = new NpgsqlBatchCommand("delete from notifications.message_log where tenant_id = $1 and customer_id = $2 and published_at is null");
        delete.Parameters.Add(new() { Value = tenantId });
        delete.Parameters.Add(new() { Value = customerId });
        batch.BatchCommands.Add(delete);
        var log = new NpgsqlBatchCommand(
            "update notifications.message_log set customer_id = 'erased', payload = jsonb_build_object('properties', '{}'::jsonb) where tenant_id = $1 and customer_id = $2");
        log.Parameters.Add(new() { Value = tenantId });
        log.Parameters.Add(new() { Value = customerId });
        batch.BatchCommands.Add(log);
        var messages = new NpgsqlBatchCommand(
            """
            update notifications.messages set customer_id = 'erased', idempotency_key = 'erased:' || message_id::text, data = null, address = null,
                recipient_name = null, subject = null, html = null, text_body = null, detail = null,
                status = case when status in ('pending', 'deferred', 'queued') then 'cancelled' else status end,
                reason = case when status in ('pending', 'deferred', 'queued') then 'erased' else reason end, lease_until = null
            where tenant_id = $1 and customer_id = $2
            """);
        messages.Parameters.Add(new() { Value = tenantId });
        messages.Parameters.Add(new() { Value = customerId });
        batch.BatchCommands.Add(messages);
        await batch.ExecuteNonQueryAsync(ct);
        return messages.RecordsAffected;
    }

    /// <summary>Withdraws an appointment's reminders that were not sent yet (it was cancelled or moved; a moved one gets new reminders).</summary>
    public async Task<int> CancelRemindersAsync(string tenantId, string customerId, string appointmentId, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            update notifications.messages set status = 'cancelled', reason = 'appointment_changed', lease_until = null
            where tenant_id = $1 and customer_id = $2 and kind = 'appointment-reminder' and status in ('pending', 'deferred', 'queued')
              and data ->> 'appointmentId' = $3
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = customerId });
        command.Parameters.Add(new() { Value = appointmentId });
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand LogCommand(string tenantId, Guid? messageId, string customerId, LogEvent log)
    {
        var command = new NpgsqlBatchCommand(
            """
            insert into notifications.message_log (tenant_id, message_id, customer_id, event_id, event_type, occurred_at, payload)
            values ($1, $2, $3, $4, $5, $6, jsonb_build_object('properties', $7::jsonb))
            on conflict (tenant_id, event_id) do nothing
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = (object?)messageId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = customerId });
        command.Parameters.Add(new() { Value = log.EventId });
        command.Parameters.Add(new() { Value = log.EventType });
        command.Parameters.Add(new() { Value = log.OccurredAt.UtcDateTime });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(log.Properties) });
        return command;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static Message Read(NpgsqlDataReader r)
    {
        static string? S(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
        static DateTimeOffset T(NpgsqlDataReader r, int i) => new(r.GetDateTime(i), TimeSpan.Zero);
        var channels = r.GetFieldValue<string[]>(6).Select(c => Names.TryParseChannel(c, out var parsed) ? parsed : NotificationChannel.Email).ToArray();
        NotificationChannel? channel = Names.TryParseChannel(S(r, 12), out var chosen) ? chosen : null;
        var purpose = Names.TryParsePurpose(r.GetString(7), out var parsedPurpose) ? parsedPurpose : NotificationPurpose.Marketing;
        return new Message(
            r.GetString(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), S(r, 5), channels, purpose, r.GetString(8), S(r, 9),
            r.GetString(10), Names.ParseStatus(r.GetString(11)), channel, S(r, 13), S(r, 14), r.GetInt32(15), T(r, 16), S(r, 17), S(r, 18),
            S(r, 19), S(r, 20), S(r, 21), S(r, 22), S(r, 23), T(r, 24), T(r, 25), r.IsDBNull(26) ? null : T(r, 26));
    }
}
