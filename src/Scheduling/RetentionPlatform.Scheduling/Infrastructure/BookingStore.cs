using Npgsql;
using NpgsqlTypes;
using NodaTime;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>
/// Appointments, the waitlist and the outbox in PostgreSQL. Every change and the events it causes are written in one
/// transaction; the exclusion constraint <c>bookings_no_overlap</c> is what makes a double booking impossible.
/// </summary>
public sealed class BookingStore(NpgsqlDataSource db, OutboxSignal outboxSignal)
{
    private const string Columns =
        "booking_id, service_id, resource_id, location_id, customer_id, starts_at, ends_at, status, client_key, customer_time_zone, notes, cancel_reason, created_at, updated_at";

    public const string ErasedCustomer = "erased";

    private const int MaxAttempts = 3;

    /// <summary>Inserts a booking with its events; <see cref="InsertOutcome.SlotTaken"/> when the resource is no longer free.</summary>
    public async Task<InsertOutcome> InsertAsync(string tenantId, Booking booking, ServiceDefinition service, string? requestHash, IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InsertOnceAsync(tenantId, booking, service, requestHash, events, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected)
            {
                // Rare behind the per-day lock (an appointment across midnight), but PostgreSQL can deadlock two
                // inserts that check one exclusion constraint against each other; one of them lost, so look again.
                if (attempt == MaxAttempts)
                {
                    return InsertOutcome.SlotTaken;
                }
            }
        }
    }

    /// <summary>
    /// The booking, the waitlist update and the events as one batch in one round trip, without an explicit transaction:
    /// PostgreSQL runs a pipelined batch as one implicit transaction, all or nothing, so the per-day lock is held for a
    /// single round trip and a refused insert needs no ROLLBACK round trip.
    /// </summary>
    private async Task<InsertOutcome> InsertOnceAsync(string tenantId, Booking booking, ServiceDefinition service, string? requestHash, IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var blocked = service.Blocked(booking.Start);
        var insert = new NpgsqlBatchCommand(
            """
            insert into scheduling.bookings (tenant_id, booking_id, service_id, resource_id, location_id, customer_id, starts_at, ends_at,
                blocked_from, blocked_until, status, client_key, request_hash, customer_time_zone, notes, created_at, updated_at)
            select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'booked', $11, $12, $13, $14, $15, $15
            from (select pg_advisory_xact_lock(hashtextextended($16, 0))) as serialised
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        insert.Parameters.Add(new NpgsqlParameter { Value = booking.BookingId });
        insert.Parameters.Add(new NpgsqlParameter { Value = booking.ServiceId });
        insert.Parameters.Add(new NpgsqlParameter { Value = booking.ResourceId });
        insert.Parameters.Add(new NpgsqlParameter { Value = booking.LocationId });
        insert.Parameters.Add(new NpgsqlParameter { Value = booking.CustomerId });
        insert.Parameters.Add(new NpgsqlParameter { Value = booking.Start.ToDateTimeUtc() });
        insert.Parameters.Add(new NpgsqlParameter { Value = booking.End.ToDateTimeUtc() });
        insert.Parameters.Add(new NpgsqlParameter { Value = blocked.Start.ToDateTimeUtc() });
        insert.Parameters.Add(new NpgsqlParameter { Value = blocked.End.ToDateTimeUtc() });
        insert.Parameters.Add(Text(booking.ClientKey));
        insert.Parameters.Add(Text(requestHash));
        insert.Parameters.Add(Text(booking.CustomerTimeZone));
        insert.Parameters.Add(Text(booking.Notes));
        insert.Parameters.Add(new NpgsqlParameter { Value = booking.CreatedAt.ToDateTimeUtc() });
        insert.Parameters.Add(new NpgsqlParameter { Value = LockKey(tenantId, booking.ResourceId, booking.Start) });

        // The customer got what they waited for: their matching waitlist entries are done.
        var waited = new NpgsqlBatchCommand(
            """
            update scheduling.waitlist set status = 'booked', updated_at = $5
            where tenant_id = $1 and customer_id = $2 and service_id = $3 and status in ('waiting', 'offered')
                and window_from <= $4 and window_until > $4
            """);
        waited.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        waited.Parameters.Add(new NpgsqlParameter { Value = booking.CustomerId });
        waited.Parameters.Add(new NpgsqlParameter { Value = booking.ServiceId });
        waited.Parameters.Add(new NpgsqlParameter { Value = booking.Start.ToDateTimeUtc() });
        waited.Parameters.Add(new NpgsqlParameter { Value = booking.CreatedAt.ToDateTimeUtc() });

        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { insert, waited } };
        if (events.Count > 0)
        {
            batch.BatchCommands.Add(OutboxInsert(tenantId, events));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            return InsertOutcome.SlotTaken;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "bookings_client_key")
        {
            return InsertOutcome.ClientKeyTaken;
        }

        outboxSignal.Notify();
        return InsertOutcome.Inserted;
    }

    /// <summary>The booking made with a client key, and the fingerprint of the request that made it.</summary>
    public async Task<(Booking Booking, string? RequestHash)?> FindByClientKeyAsync(string tenantId, string clientKey, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select {Columns}, request_hash from scheduling.bookings where tenant_id = $1 and client_key = $2");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = clientKey });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (Read(reader), reader.IsDBNull(14) ? null : reader.GetString(14)) : null;
    }

    public async Task<Booking?> GetAsync(string tenantId, string bookingId, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select {Columns} from scheduling.bookings where tenant_id = $1 and booking_id = $2");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = bookingId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>A tenant's bookings by start time, optionally of one customer or resource and within a time range.</summary>
    public async Task<IReadOnlyList<Booking>> ListAsync(string tenantId, string? customerId, string? resourceId, Instant? from, Instant? until, int limit, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"""
            select {Columns} from scheduling.bookings
            where tenant_id = $1 and ($2::text is null or customer_id = $2) and ($3::text is null or resource_id = $3)
                and ($4::timestamptz is null or ends_at > $4) and ($5::timestamptz is null or starts_at < $5)
            order by starts_at, booking_id limit $6
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(Text(customerId));
        command.Parameters.Add(Text(resourceId));
        command.Parameters.Add(Time(from));
        command.Parameters.Add(Time(until));
        command.Parameters.Add(new() { Value = limit });
        var bookings = new List<Booking>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            bookings.Add(Read(reader));
        }

        return bookings;
    }

    /// <summary>How many booked appointments not yet started need a resource or a service.</summary>
    public async Task<long> CountUpcomingAsync(string tenantId, ScheduleEntity entity, string id, Instant now, CancellationToken ct)
    {
        var column = entity == ScheduleEntity.Resource ? "resource_id" : "service_id";
        await using var command = db.CreateCommand(
            $"select count(*) from scheduling.bookings where tenant_id = $1 and {column} = $2 and status = 'booked' and ends_at > $3");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = now.ToDateTimeUtc() });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// When each resource is taken by booked appointments (with buffers) within [from, until). An appointment blocks at
    /// most 40 hours (a day-long service and two 8-hour buffers), so its blocked time starts less than 3 days before
    /// <c>from</c>: that bound lets the covering index <c>bookings_busy</c> answer with one range scan per resource.
    /// </summary>
    public async Task<Dictionary<string, BusyTimes>> BusyAsync(string tenantId, IReadOnlyCollection<string> resourceIds, Instant from, Instant until, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await BusyAsync(connection, null, tenantId, resourceIds, from, until, ct);
    }

    /// <summary>
    /// Changes one booking under a row lock: <paramref name="decide"/> sees the current booking and returns the change
    /// (or an error, or nothing to do). The pending reminders of the old appointment are dropped, the change's events
    /// written, and a slot the change frees is offered to the first customer waiting for it.
    /// </summary>
    public async Task<SchedulingResult<Booking>> ChangeAsync(
        string tenantId, string bookingId, TenantSchedule schedule, Instant now, Func<Booking, BookingChange> decide, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ChangeOnceAsync(tenantId, bookingId, schedule, now, decide, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < MaxAttempts)
            {
                // The other transaction went on; deciding again on the booking as it is now is safe.
            }
        }
    }

    private async Task<SchedulingResult<Booking>> ChangeOnceAsync(
        string tenantId, string bookingId, TenantSchedule schedule, Instant now, Func<Booking, BookingChange> decide, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        Booking current;
        await using (var select = new NpgsqlCommand($"select {Columns} from scheduling.bookings where tenant_id = $1 and booking_id = $2 for update", connection, tx))
        {
            select.Parameters.Add(new() { Value = tenantId });
            select.Parameters.Add(new() { Value = bookingId });
            await using var reader = await select.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return SchedulingError.NotFound("Booking not found", $"There is no booking '{bookingId}'.");
            }

            current = Read(reader);
        }

        var change = decide(current);
        if (change.Error is not null || change.Updated is null)
        {
            return new SchedulingResult<Booking>(change.Error is null ? current : null, change.Error);
        }

        var updated = change.Updated;
        try
        {
            if (updated.Status == BookingStatus.Booked)
            {
                await using var serialise = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, tx);
                serialise.Parameters.Add(new() { Value = LockKey(tenantId, updated.ResourceId, updated.Start) });
                await serialise.ExecuteNonQueryAsync(ct);
            }

            await using (var update = new NpgsqlCommand(
                """
                update scheduling.bookings set resource_id = $3, location_id = $4, starts_at = $5, ends_at = $6, blocked_from = $7,
                    blocked_until = $8, status = $9, cancel_reason = $10, updated_at = $11
                where tenant_id = $1 and booking_id = $2
                """, connection, tx))
            {
                var blocked = change.Blocked ?? new Interval(updated.Start, updated.End);
                update.Parameters.Add(new() { Value = tenantId });
                update.Parameters.Add(new() { Value = bookingId });
                update.Parameters.Add(new() { Value = updated.ResourceId });
                update.Parameters.Add(new() { Value = updated.LocationId });
                update.Parameters.Add(new() { Value = updated.Start.ToDateTimeUtc() });
                update.Parameters.Add(new() { Value = updated.End.ToDateTimeUtc() });
                update.Parameters.Add(new() { Value = blocked.Start.ToDateTimeUtc() });
                update.Parameters.Add(new() { Value = blocked.End.ToDateTimeUtc() });
                update.Parameters.Add(new() { Value = BookingStatusText.Of(updated.Status) });
                update.Parameters.Add(Text(updated.CancelReason));
                update.Parameters.Add(new() { Value = updated.UpdatedAt.ToDateTimeUtc() });
                await update.ExecuteNonQueryAsync(ct);
            }

            await DropPendingRemindersAsync(connection, tx, tenantId, bookingId, ct);
            await WriteEventsAsync(connection, tx, tenantId, change.Events, ct);
            if (current.Status == BookingStatus.Booked && current.Start > now
                && (updated.Status == BookingStatus.Cancelled || updated.Start != current.Start || updated.ResourceId != current.ResourceId))
            {
                await OfferFreedSlotAsync(connection, tx, tenantId, current.ResourceId, new Interval(current.Start, current.End), schedule, now, ct);
            }

            await tx.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            return new SchedulingError(SchedulingErrorKind.Conflict, "startsAt", "Slot taken",
                "Another appointment holds that time on the resource now; search availability again and pick another slot.");
        }

        outboxSignal.Notify();
        return new SchedulingResult<Booking>(updated, null);
    }

    /// <summary>Adds a waitlist entry.</summary>
    public async Task InsertWaitlistAsync(string tenantId, WaitlistEntry entry, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            insert into scheduling.waitlist (tenant_id, entry_id, customer_id, service_id, resource_id, window_from, window_until, status, created_at, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8, $8)
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = entry.EntryId });
        command.Parameters.Add(new() { Value = entry.CustomerId });
        command.Parameters.Add(new() { Value = entry.ServiceId });
        command.Parameters.Add(Text(entry.ResourceId));
        command.Parameters.Add(new() { Value = entry.Window.Start.ToDateTimeUtc() });
        command.Parameters.Add(new() { Value = entry.Window.End.ToDateTimeUtc() });
        command.Parameters.Add(new() { Value = entry.CreatedAt.ToDateTimeUtc() });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<WaitlistEntry?> GetWaitlistAsync(string tenantId, string entryId, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            """
            select entry_id, customer_id, service_id, resource_id, window_from, window_until, status, offered_start, offered_resource, created_at
            from scheduling.waitlist where tenant_id = $1 and entry_id = $2
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = entryId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadEntry(reader) : null;
    }

    /// <summary>Withdraws a waiting or offered entry; false when there is none to withdraw.</summary>
    public async Task<bool> WithdrawWaitlistAsync(string tenantId, string entryId, Instant now, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            "update scheduling.waitlist set status = 'withdrawn', updated_at = $3 where tenant_id = $1 and entry_id = $2 and status in ('waiting', 'offered')");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = entryId });
        command.Parameters.Add(new() { Value = now.ToDateTimeUtc() });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Erases a customer: their upcoming appointments are cancelled (freeing the slots, offered to others waiting),
    /// every booking of theirs keeps only an anonymous customer, their waitlist entries and events not yet sent are
    /// deleted. Returns how many bookings were anonymised.
    /// </summary>
    public async Task<int> EraseCustomerAsync(string tenantId, string customerId, TenantSchedule schedule, Instant now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var freed = new List<(string ResourceId, Interval Interval)>();
        await using (var cancel = new NpgsqlCommand(
            """
            update scheduling.bookings set status = 'cancelled', cancel_reason = 'erased', updated_at = $3
            where tenant_id = $1 and customer_id = $2 and status = 'booked' and starts_at > $3
            returning resource_id, starts_at, ends_at
            """, connection, tx))
        {
            cancel.Parameters.Add(new() { Value = tenantId });
            cancel.Parameters.Add(new() { Value = customerId });
            cancel.Parameters.Add(new() { Value = now.ToDateTimeUtc() });
            await using var reader = await cancel.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                freed.Add((reader.GetString(0), new Interval(Instant.FromDateTimeUtc(reader.GetDateTime(1)), Instant.FromDateTimeUtc(reader.GetDateTime(2)))));
            }
        }

        int anonymised;
        await using (var erase = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new("""
                    update scheduling.bookings set customer_id = $3, client_key = null, request_hash = null, customer_time_zone = null, notes = null
                    where tenant_id = $1 and customer_id = $2
                    """),
                new("delete from scheduling.waitlist where tenant_id = $1 and customer_id = $2"),
                new("delete from scheduling.outbox where tenant_id = $1 and customer_id = $2"),
            },
        })
        {
            foreach (var command in erase.BatchCommands)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
                command.Parameters.Add(new NpgsqlParameter { Value = customerId });
            }

            erase.BatchCommands[0].Parameters.Add(new NpgsqlParameter { Value = ErasedCustomer });
            await erase.ExecuteNonQueryAsync(ct);
            anonymised = erase.BatchCommands[0].RecordsAffected;
        }

        foreach (var (resourceId, interval) in freed)
        {
            await OfferFreedSlotAsync(connection, tx, tenantId, resourceId, interval, schedule, now, ct);
        }

        await tx.CommitAsync(ct);
        outboxSignal.Notify();
        return anonymised;
    }

    /// <summary>
    /// Offers a freed time to the customer who has waited longest for a service the resource performs, within their
    /// window: the first free start of their service that overlaps the freed time.
    /// </summary>
    private static async Task OfferFreedSlotAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, string resourceId, Interval freed, TenantSchedule schedule, Instant now, CancellationToken ct)
    {
        if (!schedule.Resources.TryGetValue(resourceId, out var resource))
        {
            return;
        }

        var waiting = new List<WaitlistEntry>();
        await using (var select = new NpgsqlCommand(
            """
            select entry_id, customer_id, service_id, resource_id, window_from, window_until, status, offered_start, offered_resource, created_at
            from scheduling.waitlist
            where tenant_id = $1 and status = 'waiting' and (resource_id is null or resource_id = $2) and window_from < $4 and window_until > $3
            order by created_at, entry_id limit 50
            for update skip locked
            """, connection, tx))
        {
            select.Parameters.Add(new() { Value = tenantId });
            select.Parameters.Add(new() { Value = resourceId });
            select.Parameters.Add(new() { Value = freed.Start.ToDateTimeUtc() });
            select.Parameters.Add(new() { Value = freed.End.ToDateTimeUtc() });
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                waiting.Add(ReadEntry(reader));
            }
        }

        if (waiting.Count == 0)
        {
            return;
        }

        var day = Duration.FromDays(1);
        var busy = await BusyAsync(connection, tx, tenantId, [resourceId], freed.Start - day, freed.End + day, ct);
        foreach (var entry in waiting)
        {
            if (!schedule.Services.TryGetValue(entry.ServiceId, out var service) || !service.ResourceIds.Contains(resourceId))
            {
                continue;
            }

            var from = Instant.Max(entry.Window.Start, freed.Start - service.Duration + Duration.Epsilon);
            var until = Instant.Min(entry.Window.End, freed.End);
            var slots = from < until ? AvailabilityEngine.Search(schedule, service, [resource], from, until, busy, now) : [];
            if (slots.Count == 0)
            {
                continue;
            }

            await using (var offer = new NpgsqlCommand(
                "update scheduling.waitlist set status = 'offered', offered_start = $3, offered_resource = $4, updated_at = $5 where tenant_id = $1 and entry_id = $2",
                connection, tx))
            {
                offer.Parameters.Add(new() { Value = tenantId });
                offer.Parameters.Add(new() { Value = entry.EntryId });
                offer.Parameters.Add(new() { Value = slots[0].Start.ToDateTimeUtc() });
                offer.Parameters.Add(new() { Value = resourceId });
                offer.Parameters.Add(new() { Value = now.ToDateTimeUtc() });
                await offer.ExecuteNonQueryAsync(ct);
            }

            await WriteEventsAsync(connection, tx, tenantId, [AppointmentEventFactory.SlotOffered(entry, service, resource, slots[0].Start, schedule, now)], ct);
            return;
        }
    }

    private static async Task<Dictionary<string, BusyTimes>> BusyAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string tenantId, IReadOnlyCollection<string> resourceIds, Instant from, Instant until, CancellationToken ct)
    {
        // One row per resource with its blocked times as two arrays: a few rows to read instead of thousands.
        var busy = new Dictionary<string, BusyTimes>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            """
            select resource_id, array_agg(blocked_from order by blocked_from), array_agg(blocked_until order by blocked_from)
            from scheduling.bookings
            where tenant_id = $1 and resource_id = any($2) and status = 'booked'
                and blocked_from < $4 and blocked_from > $3 - interval '3 days' and blocked_until > $3
            group by resource_id
            """, connection, tx))
        {
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = resourceIds.ToArray() });
            command.Parameters.Add(new() { Value = from.ToDateTimeUtc() });
            command.Parameters.Add(new() { Value = until.ToDateTimeUtc() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var starts = reader.GetFieldValue<DateTime[]>(1);
                var ends = reader.GetFieldValue<DateTime[]>(2);
                busy[reader.GetString(0)] = new BusyTimes(starts.Select((start, i) => new Interval(Instant.FromDateTimeUtc(start), Instant.FromDateTimeUtc(ends[i]))));
            }
        }

        return busy;
    }

    private static async Task DropPendingRemindersAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, string bookingId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "delete from scheduling.outbox where tenant_id = $1 and booking_id = $2 and published_at is null and event_type = $3", connection, tx);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = bookingId });
        command.Parameters.Add(new() { Value = AppointmentEventTypes.ReminderDue });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task WriteEventsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { OutboxInsert(tenantId, events) } };
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand OutboxInsert(string tenantId, IReadOnlyList<OutboxEvent> events)
    {
        var command = new NpgsqlBatchCommand(
            """
            insert into scheduling.outbox (tenant_id, customer_id, booking_id, event_id, event_type, occurred_at, due_at, expires_at, payload)
            select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::jsonb[])
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.CustomerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.BookingId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.EventType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.OccurredAt.ToDateTimeUtc()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.DueAt.ToDateTimeUtc()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.ExpiresAt?.ToDateTimeUtc()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.PayloadJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        return command;
    }

    private static Booking Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        Instant.FromDateTimeUtc(reader.GetDateTime(5)),
        Instant.FromDateTimeUtc(reader.GetDateTime(6)),
        BookingStatusText.Parse(reader.GetString(7)),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.IsDBNull(11) ? null : reader.GetString(11),
        Instant.FromDateTimeUtc(reader.GetDateTime(12)),
        Instant.FromDateTimeUtc(reader.GetDateTime(13)));

    private static WaitlistEntry ReadEntry(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        new Interval(Instant.FromDateTimeUtc(reader.GetDateTime(4)), Instant.FromDateTimeUtc(reader.GetDateTime(5))),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : Instant.FromDateTimeUtc(reader.GetDateTime(7)),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        Instant.FromDateTimeUtc(reader.GetDateTime(9)));

    /// <summary>
    /// The transaction lock that queues writers of one resource's day. Overlapping inserts checked against an exclusion
    /// constraint at the same moment can deadlock each other (PostgreSQL waits a second to find out); queued, the
    /// second simply finds the first one's row and is refused at once.
    /// </summary>
    private static string LockKey(string tenantId, string resourceId, Instant start) =>
        $"scheduling/{tenantId}/{resourceId}/{start.ToUnixTimeTicks() / NodaConstants.TicksPerDay}";

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(Instant? value) => new() { Value = value is { } v ? v.ToDateTimeUtc() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
