using System.Buffers;
using System.Text.Json;
using Confluent.Kafka;
using Npgsql;
using RetentionPlatform.EventBus;
using RetentionPlatform.Events.Model;

namespace RetentionPlatform.Events.Infrastructure;

/// <summary>
/// Puts a tenant's validated events on Kafka once per duplicate window: looks up which ids the tenant sent before,
/// publishes only the new ones (concurrently), then records them as received. Recording comes after publishing so
/// that a crash in between cannot lose an event: the partner's resend is published again, which is harmless
/// because consumers apply an event id at most once. Two requests racing with the same new id may both publish it,
/// for the same reason harmlessly.
/// </summary>
public sealed partial class EventIngestor(
    ReceivedEvents received,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<EventIngestor> logger)
{
    /// <summary>
    /// Ingests <paramref name="events"/> in order and says, for each, whether it was new (published now) or a
    /// duplicate (sent before, or earlier in the same list).
    /// </summary>
    /// <exception cref="NpgsqlException">The record of received ids could not be read; nothing was published.</exception>
    /// <exception cref="KafkaException">
    /// At least one new event could not be published; those that were are recorded, so a resend of the same events
    /// finds them as duplicates.
    /// </exception>
    public async Task<bool[]> IngestAsync(string tenantId, IReadOnlyList<IncomingEvent> events, CancellationToken cancellationToken)
    {
        var isNew = new bool[events.Count];
        var firstOccurrences = new List<int>(events.Count);
        var ids = new HashSet<string>(events.Count, StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            if (ids.Add(events[i].EventId))
            {
                firstOccurrences.Add(i);
            }
        }

        if (ids.Count == 0)
        {
            return isNew;
        }

        HashSet<string> known;
        try
        {
            known = await received.FindReceivedAsync(tenantId, ids, cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            LogLookupFailed(logger, ex, tenantId, events.Count);
            throw;
        }

        var fresh = firstOccurrences.Where(i => !known.Contains(events[i].EventId)).ToList();
        if (fresh.Count == 0)
        {
            return isNew;
        }

        // Started in list order: the producer keeps one customer's events in that order on its partition.
        var publishes = fresh
            .Select(i => publisher.PublishAsync(EventTopics.CustomerEvents, ToEnvelope(tenantId, events[i]), cancellationToken))
            .ToList();
        await Task.WhenAll(publishes).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var published = new List<string>(fresh.Count);
        for (var n = 0; n < fresh.Count; n++)
        {
            if (publishes[n].IsCompletedSuccessfully)
            {
                published.Add(events[fresh[n]].EventId);
                isNew[fresh[n]] = true;
            }
        }

        if (published.Count > 0)
        {
            await RecordAsync(tenantId, published);
        }

        if (publishes.FirstOrDefault(p => !p.IsCompletedSuccessfully) is { } failed)
        {
            if (failed.Exception?.InnerException is KafkaException kafka)
            {
                LogPublishFailed(logger, kafka, tenantId, fresh.Count - published.Count, fresh.Count, kafka.Error.Reason);
            }

            await failed;
        }

        return isNew;
    }

    private async Task RecordAsync(string tenantId, List<string> eventIds)
    {
        try
        {
            // Not the request's token: the events are on Kafka whether or not the caller still waits, and recording
            // them spares a resend from publishing them again. The command timeout bounds the wait.
            await received.RecordAsync(tenantId, eventIds, time.GetUtcNow(), CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            // The events are published, so the caller is told so; only a resend of them would be published again.
            LogRecordFailed(logger, ex, tenantId, eventIds.Count);
        }
    }

    private static EventEnvelope ToEnvelope(string tenantId, IncomingEvent incoming) =>
        new(incoming.EventId, incoming.Type, tenantId, incoming.CustomerId, incoming.OccurredAt, EventMessageCodec.CurrentSchemaVersion, Serialize(incoming));

    private static byte[] Serialize(IncomingEvent incoming)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("eventId", incoming.EventId);
            writer.WriteString("type", incoming.Type);
            writer.WriteString("customerId", incoming.CustomerId);
            writer.WriteString("occurredAt", incoming.OccurredAt);
            if (incoming.Properties is { } properties)
            {
                writer.WritePropertyName("properties");
                properties.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Looking up received event ids of tenant {TenantId} failed; none of {Count} events was published")]
    private static partial void LogLookupFailed(ILogger logger, Exception exception, string tenantId, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Publishing {Failed} of {Count} new events of tenant {TenantId} failed: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string tenantId, int failed, int count, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Recording {Count} published event ids of tenant {TenantId} failed; a resend of them would be published again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string tenantId, int count);
}
