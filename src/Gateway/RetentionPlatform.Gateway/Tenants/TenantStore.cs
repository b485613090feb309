using Npgsql;
using RetentionPlatform.Gateway.Authentication;

namespace RetentionPlatform.Gateway.Tenants;

/// <summary>
/// Tenants and API keys in PostgreSQL (schema <c>gateway</c>). Every change bumps one version row in the same
/// transaction, which every gateway replica polls to reload its <see cref="ApiKeyRing"/>.
/// </summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    private const string TenantColumns = "tenant_id, name, status, permits_per_second, burst, created_at";
    private const string KeyColumns = "prefix, name, scopes, permits_per_second, burst, created_at, revoked_at";
    private const string BumpVersion = "update gateway.key_ring_version set version = version + 1;";

    /// <summary>Creates a tenant; null when one with that id exists.</summary>
    public async Task<Tenant?> CreateTenantAsync(string id, string name, RateLimit? limit, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            $"insert into gateway.tenants (tenant_id, name, permits_per_second, burst) values ($1, $2, $3, $4) on conflict do nothing returning {TenantColumns}",
            id, name, (object?)limit?.PermitsPerSecond ?? DBNull.Value, (object?)limit?.Burst ?? DBNull.Value));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(BumpVersion));
        return await ReadSingleAsync(batch, ReadTenant, ct);
    }

    public async Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {TenantColumns} from gateway.tenants order by tenant_id");
        return await ReadAllAsync(command, ReadTenant, ct);
    }

    public async Task<Tenant?> GetTenantAsync(string id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {TenantColumns} from gateway.tenants where tenant_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        var all = await ReadAllAsync(command, ReadTenant, ct);
        return all.Count == 0 ? null : all[0];
    }

    /// <summary>Changes what is given (a null argument keeps the value; <paramref name="clearLimit"/> removes the limit).</summary>
    public async Task<Tenant?> UpdateTenantAsync(string id, string? name, string? status, RateLimit? limit, bool clearLimit, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            $"""
            update gateway.tenants set
                name = coalesce($2, name),
                status = coalesce($3, status),
                permits_per_second = case when $4 then null else coalesce($5, permits_per_second) end,
                burst = case when $4 then null else coalesce($6, burst) end,
                updated_at = now()
            where tenant_id = $1
            returning {TenantColumns}
            """,
            id, (object?)name ?? DBNull.Value, (object?)status ?? DBNull.Value, clearLimit,
            (object?)limit?.PermitsPerSecond ?? DBNull.Value, (object?)limit?.Burst ?? DBNull.Value));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(BumpVersion));
        return await ReadSingleAsync(batch, ReadTenant, ct);
    }

    /// <summary>Issues a new key for an existing tenant; null when the tenant does not exist.</summary>
    public async Task<IssuedApiKey?> IssueKeyAsync(string tenant, string name, IReadOnlyList<string> scopes, RateLimit? limit, CancellationToken ct)
    {
        var (key, prefix) = ApiKeyFormat.NewKey();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            $"""
            insert into gateway.api_keys (prefix, tenant_id, key_sha256, name, scopes, permits_per_second, burst)
            select $1, tenant_id, $3, $4, $5, $6, $7 from gateway.tenants where tenant_id = $2
            returning {KeyColumns}
            """,
            prefix, tenant, ApiKeyHasher.Hash(key), name, scopes.ToArray(),
            (object?)limit?.PermitsPerSecond ?? DBNull.Value, (object?)limit?.Burst ?? DBNull.Value));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(BumpVersion));
        var info = await ReadSingleAsync(batch, ReadKey, ct);
        return info is null ? null : new IssuedApiKey(key, info.Prefix, info.Name, info.Scopes, info.RateLimit, info.CreatedAt);
    }

    /// <summary>The tenant's keys, revoked ones included; null when the tenant does not exist.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>?> ListKeysAsync(string tenant, CancellationToken ct)
    {
        if (await GetTenantAsync(tenant, ct) is null)
        {
            return null;
        }

        await using var command = dataSource.CreateCommand($"select {KeyColumns} from gateway.api_keys where tenant_id = $1 order by created_at, prefix");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        return await ReadAllAsync(command, ReadKey, ct);
    }

    /// <summary>Revokes a key of the tenant; false when the tenant has no such key. Revoking twice is harmless.</summary>
    public async Task<bool> RevokeKeyAsync(string tenant, string prefix, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "update gateway.api_keys set revoked_at = coalesce(revoked_at, now()) where tenant_id = $1 and prefix = $2 returning prefix",
            tenant, prefix));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(BumpVersion));
        return await ReadSingleAsync(batch, reader => reader.GetString(0), ct) is not null;
    }

    /// <summary>
    /// Makes sure a key given in configuration exists (a development or bootstrap key): creates its tenant when
    /// missing and the key under the prefix <c>cfg_&lt;name&gt;</c> when no key has its hash.
    /// </summary>
    public async Task EnsureConfiguredKeyAsync(string name, string tenant, string sha256, IReadOnlyList<string> scopes, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command("insert into gateway.tenants (tenant_id, name) values ($1, $1) on conflict do nothing", tenant));
        batch.BatchCommands.Add(Command(
            "insert into gateway.api_keys (prefix, tenant_id, key_sha256, name, scopes) values ($1, $2, $3, $4, $5) on conflict do nothing",
            $"cfg_{name}", tenant, sha256.ToLowerInvariant(), $"configured key '{name}'", scopes.ToArray()));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(BumpVersion));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The version every change bumps.</summary>
    public async Task<long> GetVersionAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select version from gateway.key_ring_version");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every key that is not revoked, with its tenant's status and limits, and the version they were read at.</summary>
    public async Task<(long Version, IReadOnlyList<ApiKeyEntry> Keys)> LoadActiveKeysAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        long version;
        await using (var command = new NpgsqlCommand("select version from gateway.key_ring_version", connection, transaction))
        {
            version = (long)(await command.ExecuteScalarAsync(ct))!;
        }

        var keys = new List<ApiKeyEntry>();
        await using (var command = new NpgsqlCommand(
            """
            select k.prefix, k.key_sha256, k.tenant_id, k.scopes, k.permits_per_second, k.burst, t.status, t.permits_per_second, t.burst
            from gateway.api_keys k join gateway.tenants t using (tenant_id)
            where k.revoked_at is null
            """,
            connection,
            transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                keys.Add(new ApiKeyEntry(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetFieldValue<string[]>(3),
                    reader.GetString(6) == TenantStatus.Active,
                    Limit(reader, 7),
                    Limit(reader, 4)));
            }
        }

        await transaction.CommitAsync(ct);
        return (version, keys);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static async Task<T?> ReadSingleAsync<T>(NpgsqlBatch batch, Func<NpgsqlDataReader, T> read, CancellationToken ct) where T : class
    {
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var value = await reader.ReadAsync(ct) ? read(reader) : null;
        while (await reader.NextResultAsync(ct))
        {
        }

        return value;
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var all = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            all.Add(read(reader));
        }

        return all;
    }

    private static RateLimit? Limit(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new RateLimit(reader.GetInt32(ordinal), reader.IsDBNull(ordinal + 1) ? reader.GetInt32(ordinal) : reader.GetInt32(ordinal + 1));

    private static Tenant ReadTenant(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), Limit(reader, 3), reader.GetFieldValue<DateTimeOffset>(5));

    private static ApiKeyInfo ReadKey(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), Limit(reader, 3), reader.GetFieldValue<DateTimeOffset>(5),
            reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
}
