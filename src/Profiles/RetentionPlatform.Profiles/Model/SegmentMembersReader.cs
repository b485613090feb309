using Npgsql;

namespace RetentionPlatform.Profiles.Model;

/// <summary>
/// Reads segment member lists from <c>profiles.segment_members</c> (kept by the customer grains' outbox),
/// keyset-paginated by customer id and always filtered by tenant.
/// </summary>
internal static class SegmentMembersReader
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Up to <paramref name="limit"/> members with a customer id after <paramref name="after"/> (null: from the start).</summary>
    public static async Task<SegmentMembersPage> ReadPageAsync(
        NpgsqlDataSource dataSource, string tenantId, string segmentId, string? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var members = new List<SegmentMember>(Math.Min(limit + 1, MaxLimit + 1));
        await using (var command = dataSource.CreateCommand("""
            select customer_id, entered_at from profiles.segment_members
            where tenant_id = $1 and segment_id = $2 and customer_id > $3
            order by customer_id
            limit $4
            """))
        {
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = segmentId });
            command.Parameters.Add(new() { Value = after ?? "" });
            // One more than asked: whether it exists says if there is a next page.
            command.Parameters.Add(new() { Value = limit + 1 });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                members.Add(new SegmentMember(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
            }
        }

        if (members.Count <= limit)
        {
            return new SegmentMembersPage(segmentId, members, null);
        }

        members.RemoveAt(members.Count - 1);
        return new SegmentMembersPage(segmentId, members, members[^1].CustomerId);
    }
}
