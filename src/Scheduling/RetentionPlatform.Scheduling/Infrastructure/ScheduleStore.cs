using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using NodaTime;
using RetentionPlatform.Scheduling.Model;

namespace RetentionPlatform.Scheduling.Infrastructure;

/// <summary>
/// Each tenant's schedule configuration in PostgreSQL, with an in-memory snapshot per tenant. Every change bumps the
/// tenant's row in <c>schedule_versions</c> in the same transaction and drops this replica's snapshot at once. A read
/// within <see cref="RecheckAfter"/> of the last look uses the snapshot; later it asks for the version (one indexed
/// lookup) and reloads only when it moved, so another replica's change is seen within a second. A stale second can
/// never double-book (the database decides that); at worst a slot just closed is offered and then refused.
/// </summary>
public sealed class ScheduleStore(NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>How long a snapshot is used before its version is checked again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (TenantSchedule Schedule, long CheckedAt)> _snapshots = new(StringComparer.Ordinal);

    public async Task<TenantSchedule> GetAsync(string tenantId, CancellationToken ct)
    {
        var now = time.GetTimestamp();
        if (_snapshots.TryGetValue(tenantId, out var cached) && time.GetElapsedTime(cached.CheckedAt, now) < RecheckAfter)
        {
            return cached.Schedule;
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        var version = await VersionAsync(connection, tenantId, ct);
        var schedule = version == 0 ? TenantSchedule.Empty
            : cached.Schedule?.Version == version ? cached.Schedule
            : await LoadAsync(connection, tenantId, version, ct);
        Remember(tenantId, schedule, now);
        return schedule;
    }

    /// <summary>Keeps the newer of two snapshots, so a read that raced a change never puts the older one back.</summary>
    private void Remember(string tenantId, TenantSchedule schedule, long checkedAt) =>
        _snapshots.AddOrUpdate(
            tenantId,
            (schedule, checkedAt),
            (_, existing) => existing.Schedule.Version > schedule.Version ? existing : (schedule, checkedAt));

    /// <summary>Creates or replaces a location; true when it was new.</summary>
    public Task<bool> UpsertLocationAsync(string tenantId, Location location, Instant now, CancellationToken ct) =>
        ChangeAsync(tenantId, async (connection, tx) =>
        {
            await using var command = new NpgsqlCommand(
                """
                insert into scheduling.locations (tenant_id, location_id, name, time_zone, holidays, updated_at)
                values ($1, $2, $3, $4, $5, $6)
                on conflict (tenant_id, location_id) do update set name = excluded.name, time_zone = excluded.time_zone,
                    holidays = excluded.holidays, updated_at = excluded.updated_at
                returning (xmax = 0)
                """, connection, tx);
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = location.LocationId });
            command.Parameters.Add(new() { Value = location.Name });
            command.Parameters.Add(new() { Value = location.Zone.Id });
            command.Parameters.Add(new() { Value = location.Holidays.Order().Select(d => d.ToDateOnly()).ToArray() });
            command.Parameters.Add(new() { Value = now.ToDateTimeUtc() });
            return (bool)(await command.ExecuteScalarAsync(ct))!;
        }, ct);

    /// <summary>Creates or replaces a resource (a removed one comes back); true when it was new.</summary>
    public Task<bool> UpsertResourceAsync(string tenantId, Resource resource, Instant now, CancellationToken ct) =>
        ChangeAsync(tenantId, async (connection, tx) =>
        {
            await using var command = new NpgsqlCommand(
                """
                insert into scheduling.resources (tenant_id, resource_id, location_id, name, kind, working_hours, removed, updated_at)
                values ($1, $2, $3, $4, $5, $6, false, $7)
                on conflict (tenant_id, resource_id) do update set location_id = excluded.location_id, name = excluded.name,
                    kind = excluded.kind, working_hours = excluded.working_hours, removed = false, updated_at = excluded.updated_at
                returning (xmax = 0)
                """, connection, tx);
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = resource.ResourceId });
            command.Parameters.Add(new() { Value = resource.LocationId });
            command.Parameters.Add(new() { Value = resource.Name });
            command.Parameters.Add(new() { Value = resource.Kind });
            command.Parameters.Add(new() { Value = JsonSerializer.Serialize(resource.Hours.ToText(), SchedulingJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new() { Value = now.ToDateTimeUtc() });
            return (bool)(await command.ExecuteScalarAsync(ct))!;
        }, ct);

    /// <summary>Creates or replaces a service (a removed one comes back); true when it was new.</summary>
    public Task<bool> UpsertServiceAsync(string tenantId, ServiceDefinition service, Instant now, CancellationToken ct) =>
        ChangeAsync(tenantId, async (connection, tx) =>
        {
            await using var command = new NpgsqlCommand(
                """
                insert into scheduling.services (tenant_id, service_id, name, duration_minutes, buffer_before_min, buffer_after_min,
                    resource_ids, price, currency, policy, removed, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, false, $11)
                on conflict (tenant_id, service_id) do update set name = excluded.name, duration_minutes = excluded.duration_minutes,
                    buffer_before_min = excluded.buffer_before_min, buffer_after_min = excluded.buffer_after_min,
                    resource_ids = excluded.resource_ids, price = excluded.price, currency = excluded.currency,
                    policy = excluded.policy, removed = false, updated_at = excluded.updated_at
                returning (xmax = 0)
                """, connection, tx);
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = service.ServiceId });
            command.Parameters.Add(new() { Value = service.Name });
            command.Parameters.Add(new() { Value = (int)service.Duration.TotalMinutes });
            command.Parameters.Add(new() { Value = (int)service.BufferBefore.TotalMinutes });
            command.Parameters.Add(new() { Value = (int)service.BufferAfter.TotalMinutes });
            command.Parameters.Add(new() { Value = service.ResourceIds.ToArray() });
            command.Parameters.Add(new() { Value = (object?)service.Price ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
            command.Parameters.Add(new() { Value = (object?)service.Currency ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = JsonSerializer.Serialize(PolicyDocument.From(service.Policy), SchedulingJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new() { Value = now.ToDateTimeUtc() });
            return (bool)(await command.ExecuteScalarAsync(ct))!;
        }, ct);

    /// <summary>Removes a resource or service (kept as a tombstone for the appointments that name it); false when unknown.</summary>
    public Task<bool> RemoveAsync(string tenantId, ScheduleEntity entity, string id, Instant now, CancellationToken ct) =>
        ChangeAsync(tenantId, async (connection, tx) =>
        {
            var (table, key) = entity == ScheduleEntity.Resource ? ("resources", "resource_id") : ("services", "service_id");
            await using var command = new NpgsqlCommand(
                $"update scheduling.{table} set removed = true, updated_at = $3 where tenant_id = $1 and {key} = $2 and not removed", connection, tx);
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = now.ToDateTimeUtc() });
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, ct);

    public Task<bool> AddTimeOffAsync(string tenantId, TimeOff timeOff, CancellationToken ct) =>
        ChangeAsync(tenantId, async (connection, tx) =>
        {
            await using var command = new NpgsqlCommand(
                "insert into scheduling.time_off (tenant_id, time_off_id, resource_id, starts_at, ends_at, reason) values ($1, $2, $3, $4, $5, $6)",
                connection, tx);
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = timeOff.TimeOffId });
            command.Parameters.Add(new() { Value = timeOff.ResourceId });
            command.Parameters.Add(new() { Value = timeOff.Interval.Start.ToDateTimeUtc() });
            command.Parameters.Add(new() { Value = timeOff.Interval.End.ToDateTimeUtc() });
            command.Parameters.Add(new() { Value = (object?)timeOff.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, ct);

    public Task<bool> RemoveTimeOffAsync(string tenantId, string resourceId, string timeOffId, CancellationToken ct) =>
        ChangeAsync(tenantId, async (connection, tx) =>
        {
            await using var command = new NpgsqlCommand(
                "delete from scheduling.time_off where tenant_id = $1 and resource_id = $2 and time_off_id = $3", connection, tx);
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = resourceId });
            command.Parameters.Add(new() { Value = timeOffId });
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, ct);

    /// <summary>Runs one change and bumps the tenant's version in the same transaction.</summary>
    private async Task<bool> ChangeAsync(string tenantId, Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>> change, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var result = await change(connection, tx);
        long version;
        await using (var bump = new NpgsqlCommand(
            """
            insert into scheduling.schedule_versions (tenant_id, version) values ($1, 1)
            on conflict (tenant_id) do update set version = scheduling.schedule_versions.version + 1
            returning version
            """, connection, tx))
        {
            bump.Parameters.Add(new() { Value = tenantId });
            version = (long)(await bump.ExecuteScalarAsync(ct))!;
        }

        await tx.CommitAsync(ct);

        // This replica answers with the change from now on.
        Remember(tenantId, await LoadAsync(connection, tenantId, version, ct), time.GetTimestamp());
        return result;
    }

    private static async Task<long> VersionAsync(NpgsqlConnection connection, string tenantId, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select version from scheduling.schedule_versions where tenant_id = $1", connection);
        command.Parameters.Add(new() { Value = tenantId });
        return await command.ExecuteScalarAsync(ct) is long version ? version : 0;
    }

    private static async Task<TenantSchedule> LoadAsync(NpgsqlConnection connection, string tenantId, long version, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("select location_id, name, time_zone, holidays from scheduling.locations where tenant_id = $1"),
                new("select resource_id, location_id, name, kind, working_hours::text from scheduling.resources where tenant_id = $1 and not removed"),
                new("""
                    select service_id, name, duration_minutes, buffer_before_min, buffer_after_min, resource_ids, price, currency, policy::text
                    from scheduling.services where tenant_id = $1 and not removed
                    """),
                new("select time_off_id, resource_id, starts_at, ends_at, reason from scheduling.time_off where tenant_id = $1"),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        }

        var locations = new Dictionary<string, Location>(StringComparer.Ordinal);
        var resources = new Dictionary<string, Resource>(StringComparer.Ordinal);
        var services = new Dictionary<string, ServiceDefinition>(StringComparer.Ordinal);
        var timeOff = new List<TimeOff>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(reader.GetString(2)) ?? DateTimeZone.Utc;
            var holidays = reader.GetFieldValue<DateOnly[]>(3).Select(LocalDate.FromDateOnly).ToHashSet();
            locations[reader.GetString(0)] = new Location(reader.GetString(0), reader.GetString(1), zone, holidays);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var text = JsonSerializer.Deserialize<Dictionary<string, List<WorkingHoursText>>>(reader.GetString(4), SchedulingJson.Options)!;
            var hours = WeeklyHours.Parse(text.ToDictionary(p => p.Key, p => (IReadOnlyList<WorkingHoursText>)p.Value), [], "workingHours")!;
            resources[reader.GetString(0)] = new Resource(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), hours);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var policy = JsonSerializer.Deserialize<PolicyDocument>(reader.GetString(8), SchedulingJson.Options)!.ToPolicy();
            services[reader.GetString(0)] = new ServiceDefinition(
                reader.GetString(0),
                reader.GetString(1),
                Duration.FromMinutes(reader.GetInt32(2)),
                Duration.FromMinutes(reader.GetInt32(3)),
                Duration.FromMinutes(reader.GetInt32(4)),
                reader.GetFieldValue<string[]>(5),
                reader.IsDBNull(6) ? null : reader.GetDecimal(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                policy);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            timeOff.Add(new TimeOff(
                reader.GetString(0),
                reader.GetString(1),
                new Interval(Instant.FromDateTimeUtc(reader.GetDateTime(2)), Instant.FromDateTimeUtc(reader.GetDateTime(3))),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return new TenantSchedule(version, locations, resources, services, timeOff);
    }
}
