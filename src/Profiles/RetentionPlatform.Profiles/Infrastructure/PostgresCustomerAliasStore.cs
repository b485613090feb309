using Npgsql;

namespace RetentionPlatform.Profiles.Infrastructure;

/// <summary>The alias table (migration 0005): every statement is filtered by tenant.</summary>
public sealed class PostgresCustomerAliasStore(NpgsqlDataSource dataSource) : ICustomerAliasStore
{
    public async Task<string> ClaimAsync(string tenantId, string aliasKey, string customerId, CancellationToken cancellationToken = default)
    {
        // The no-op update makes the statement return the row that holds the alias, whether inserted now or before.
        await using var command = dataSource.CreateCommand("""
            insert into profiles.customer_aliases (tenant_id, alias, customer_id) values ($1, $2, $3)
            on conflict (tenant_id, alias) do update set tenant_id = excluded.tenant_id
            returning customer_id
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = aliasKey });
        command.Parameters.Add(new() { Value = customerId });
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<string?> ResolveAsync(string tenantId, string aliasKey, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select customer_id from profiles.customer_aliases where tenant_id = $1 and alias = $2");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = aliasKey });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task AssignAsync(string tenantId, IReadOnlyCollection<string> aliases, string customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            insert into profiles.customer_aliases (tenant_id, alias, customer_id) select $1, unnest($2::text[]), $3
            on conflict (tenant_id, alias) do update set customer_id = excluded.customer_id, claimed_at = now()
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = aliases.ToArray() });
        command.Parameters.Add(new() { Value = customerId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAllAsync(string tenantId, string customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("delete from profiles.customer_aliases where tenant_id = $1 and customer_id = $2");
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = customerId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
