using Npgsql;

namespace RetentionPlatform.Gateway.Idempotency;

/// <summary>The <c>gateway.idempotency_keys</c> table: claim a key, complete or release the claim, replay, expire.</summary>
internal sealed class IdempotencyStore(NpgsqlDataSource dataSource)
{
    // One statement claims a new key, reuses an expired one, or takes over a stale claim of the same request;
    // any other existing row is left alone (the WHERE of DO UPDATE is false) and no row is affected.
    private const string ClaimSql = """
        insert into gateway.idempotency_keys (tenant_id, idempotency_key, fingerprint, claim_id, status, created_at, locked_at)
        values ($1, $2, $3, $4, 'in_progress', $5, $5)
        on conflict (tenant_id, idempotency_key) do update
        set fingerprint = excluded.fingerprint, claim_id = excluded.claim_id, status = 'in_progress',
            created_at = excluded.created_at, locked_at = excluded.locked_at, completed_at = null,
            status_code = null, content_type = null, header_names = null, header_values = null, body = null
        where gateway.idempotency_keys.created_at < $6
           or (gateway.idempotency_keys.status = 'in_progress'
               and gateway.idempotency_keys.locked_at < $7
               and gateway.idempotency_keys.fingerprint = excluded.fingerprint)
        """;

    private const string FindSql = """
        select fingerprint, status, status_code, content_type, header_names, header_values, body
        from gateway.idempotency_keys
        where tenant_id = $1 and idempotency_key = $2
        """;

    private const string CompleteSql = """
        update gateway.idempotency_keys
        set status = 'completed', completed_at = $4, status_code = $5, content_type = $6,
            header_names = $7, header_values = $8, body = $9
        where tenant_id = $1 and idempotency_key = $2 and claim_id = $3 and status = 'in_progress'
        """;

    private const string ReleaseSql = """
        delete from gateway.idempotency_keys
        where tenant_id = $1 and idempotency_key = $2 and claim_id = $3 and status = 'in_progress'
        """;

    // SKIP LOCKED: rows a request is claiming right now are left for the next sweep instead of waited for.
    private const string DeleteExpiredSql = """
        with expired as (
            select tenant_id, idempotency_key from gateway.idempotency_keys
            where created_at < $1
            limit $2
            for update skip locked)
        delete from gateway.idempotency_keys k
        using expired e
        where k.tenant_id = e.tenant_id and k.idempotency_key = e.idempotency_key
        """;

    /// <summary>
    /// Claims the key unless another row holds it. A row created before <paramref name="expiredBefore"/> is reused,
    /// and an in-progress claim of the same fingerprint locked before <paramref name="staleBefore"/> is taken over.
    /// </summary>
    public async Task<bool> TryClaimAsync(
        IdempotencyClaim claim, DateTimeOffset now, DateTimeOffset expiredBefore, DateTimeOffset staleBefore, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.Add(new() { Value = claim.Tenant });
        command.Parameters.Add(new() { Value = claim.Key });
        command.Parameters.Add(new() { Value = claim.Fingerprint });
        command.Parameters.Add(new() { Value = claim.ClaimId });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = expiredBefore });
        command.Parameters.Add(new() { Value = staleBefore });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The key's row, or <see langword="null"/> when there is none (it was released or expired meanwhile).</summary>
    public async Task<IdempotencyRecord?> FindAsync(string tenant, string key, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(FindSql);
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = key });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var fingerprint = reader.GetFieldValue<byte[]>(0);
        if (reader.GetString(1) != "completed")
        {
            return new IdempotencyRecord(fingerprint, null);
        }

        var names = reader.GetFieldValue<string[]>(4);
        var values = reader.GetFieldValue<string[]>(5);
        var headers = names.Zip(values, KeyValuePair.Create).ToList();
        return new IdempotencyRecord(fingerprint, new StoredResponse(
            reader.GetInt32(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            headers,
            reader.GetFieldValue<byte[]>(6)));
    }

    /// <summary>Stores the response for replay; <see langword="false"/> when the claim was lost (taken over as stale).</summary>
    public async Task<bool> CompleteAsync(IdempotencyClaim claim, StoredResponse response, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(CompleteSql);
        command.Parameters.Add(new() { Value = claim.Tenant });
        command.Parameters.Add(new() { Value = claim.Key });
        command.Parameters.Add(new() { Value = claim.ClaimId });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = response.StatusCode });
        command.Parameters.Add(new() { Value = (object?)response.ContentType ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = response.Headers.Select(h => h.Key).ToArray() });
        command.Parameters.Add(new() { Value = response.Headers.Select(h => h.Value).ToArray() });
        command.Parameters.Add(new() { Value = response.Body });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Deletes the claim so that a retry with the key runs the request again.</summary>
    public async Task ReleaseAsync(IdempotencyClaim claim, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(ReleaseSql);
        command.Parameters.Add(new() { Value = claim.Tenant });
        command.Parameters.Add(new() { Value = claim.Key });
        command.Parameters.Add(new() { Value = claim.ClaimId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Deletes, in batches, every row created before <paramref name="createdBefore"/>; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset createdBefore, int batchSize, CancellationToken ct)
    {
        var total = 0;
        int deleted;
        do
        {
            await using var command = dataSource.CreateCommand(DeleteExpiredSql);
            command.Parameters.Add(new() { Value = createdBefore });
            command.Parameters.Add(new() { Value = batchSize });
            deleted = await command.ExecuteNonQueryAsync(ct);
            total += deleted;
        }
        while (deleted == batchSize);

        return total;
    }
}
