using System.Text;
using Npgsql;
using RetentionPlatform.EventBus;

namespace RetentionPlatform.Profiles.Infrastructure;

/// <summary>
/// Delivers a customer grain's outbox: the segment member lists in PostgreSQL first (idempotent upserts and
/// deletes), then the events on <c>retention.profile-events.v1</c> (keyed by tenant and customer, with the
/// outbox entry's stable event id). Either step failing leaves the outbox in the grain for another try.
/// </summary>
public sealed class ProfileChangeSink(NpgsqlDataSource dataSource, IEventPublisher publisher) : IProfileChangeSink
{
    public async Task DeliverAsync(string tenantId, string customerId, IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken)
    {
        await using (var batch = dataSource.CreateBatch())
        {
            foreach (var change in changes)
            {
                if (MemberCommand(tenantId, customerId, change) is { } command)
                {
                    batch.BatchCommands.Add(command);
                }
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        foreach (var change in changes)
        {
            var envelope = new EventEnvelope(change.EventId, change.Type, tenantId, customerId, change.At, EventMessageCodec.CurrentSchemaVersion, Encoding.UTF8.GetBytes(change.Payload));
            await publisher.PublishAsync(EventTopics.ProfileEvents, envelope, cancellationToken);
        }
    }

    private static NpgsqlBatchCommand? MemberCommand(string tenantId, string customerId, ProfileChange change)
    {
        NpgsqlBatchCommand command;
        switch (change.Type)
        {
            case ProfileChangeTypes.SegmentEntered when change.SegmentId is not null:
                command = new NpgsqlBatchCommand("""
                    insert into profiles.segment_members (tenant_id, segment_id, customer_id, entered_at) values ($1, $2, $3, $4)
                    on conflict (tenant_id, segment_id, customer_id) do update set entered_at = excluded.entered_at
                    """);
                command.Parameters.Add(new() { Value = tenantId });
                command.Parameters.Add(new() { Value = change.SegmentId });
                command.Parameters.Add(new() { Value = customerId });
                command.Parameters.Add(new() { Value = change.At });
                return command;
            case ProfileChangeTypes.SegmentExited when change.SegmentId is not null:
                command = new NpgsqlBatchCommand("delete from profiles.segment_members where tenant_id = $1 and segment_id = $2 and customer_id = $3");
                command.Parameters.Add(new() { Value = tenantId });
                command.Parameters.Add(new() { Value = change.SegmentId });
                command.Parameters.Add(new() { Value = customerId });
                return command;
            case ProfileChangeTypes.CustomerErased:
                command = new NpgsqlBatchCommand("delete from profiles.segment_members where tenant_id = $1 and customer_id = $2");
                command.Parameters.Add(new() { Value = tenantId });
                command.Parameters.Add(new() { Value = customerId });
                return command;
            default:
                return null;
        }
    }
}
