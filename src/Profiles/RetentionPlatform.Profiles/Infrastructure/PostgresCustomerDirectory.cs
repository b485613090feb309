using System.Runtime.CompilerServices;
using Npgsql;

namespace RetentionPlatform.Profiles.Infrastructure;

/// <summary>
/// A tenant's customers, read from the stored grain states (grain id <c>customer/&lt;tenant&gt;/&lt;customer&gt;</c>),
/// paged by key so a tenant with a million customers streams instead of loading at once.
/// </summary>
public sealed class PostgresCustomerDirectory(NpgsqlDataSource dataSource) : ICustomerDirectory
{
    private const int PageSize = 1000;

    public async IAsyncEnumerable<string> CustomerIdsAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = $"customer/{tenantId}/";
        var after = prefix;
        while (true)
        {
            var page = new List<string>(PageSize);
            // starts_with rather than a range on the prefix: where a prefix's ids end depends on the collation.
            await using (var command = dataSource.CreateCommand("""
                select grain_id from profiles.grain_state
                where state_name = 'customer' and starts_with(grain_id, $2) and grain_id > $1
                order by grain_id limit $3
                """))
            {
                command.Parameters.Add(new() { Value = after });
                command.Parameters.Add(new() { Value = prefix });
                command.Parameters.Add(new() { Value = PageSize });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(reader.GetString(0));
                }
            }

            foreach (var grainId in page)
            {
                yield return grainId[prefix.Length..];
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1];
        }
    }
}
