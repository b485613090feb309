using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace RetentionPlatform.EventBus;

/// <summary>Maps an <see cref="EventEnvelope"/> to a Kafka message with headers, and back.</summary>
public static class EventMessageCodec
{
    public const int CurrentSchemaVersion = 1;

    public static Message<string, byte[]> ToMessage(EventEnvelope envelope, Activity? activity)
    {
        var headers = new Headers
        {
            { EventHeaders.EventId, Encode(envelope.EventId) },
            { EventHeaders.EventType, Encode(envelope.EventType) },
            { EventHeaders.Tenant, Encode(envelope.TenantId) },
            { EventHeaders.Customer, Encode(envelope.CustomerId) },
            { EventHeaders.OccurredAt, Encode(envelope.OccurredAt.ToString("O", CultureInfo.InvariantCulture)) },
            { EventHeaders.SchemaVersion, Encode(envelope.SchemaVersion.ToString(CultureInfo.InvariantCulture)) },
            { EventHeaders.ContentType, Encode("application/json") },
        };
        if (activity is { IdFormat: ActivityIdFormat.W3C, Id: { } traceParent })
        {
            headers.Add(EventHeaders.TraceParent, Encode(traceParent));
            if (!string.IsNullOrEmpty(activity.TraceStateString))
            {
                headers.Add(EventHeaders.TraceState, Encode(activity.TraceStateString));
            }
        }

        return new Message<string, byte[]>
        {
            Key = envelope.Key,
            Value = envelope.Payload.ToArray(),
            Headers = headers,
            Timestamp = new Timestamp(envelope.OccurredAt),
        };
    }

    /// <summary>Reads the envelope back; a message without the required headers is a poison message.</summary>
    public static ConsumedEvent FromResult(ConsumeResult<string, byte[]> result)
    {
        var headers = result.Message.Headers ?? [];
        var occurredText = Required(headers, EventHeaders.OccurredAt);
        if (!DateTimeOffset.TryParse(occurredText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var occurredAt))
        {
            throw new PermanentEventException($"Header '{EventHeaders.OccurredAt}' is not an ISO 8601 time: '{occurredText}'.");
        }

        var versionText = Optional(headers, EventHeaders.SchemaVersion);
        var version = CurrentSchemaVersion;
        if (versionText is not null && !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out version))
        {
            throw new PermanentEventException($"Header '{EventHeaders.SchemaVersion}' is not a number: '{versionText}'.");
        }

        var envelope = new EventEnvelope(
            Required(headers, EventHeaders.EventId),
            Required(headers, EventHeaders.EventType),
            Required(headers, EventHeaders.Tenant),
            Required(headers, EventHeaders.Customer),
            occurredAt,
            version,
            result.Message.Value ?? []);

        ActivityContext.TryParse(Optional(headers, EventHeaders.TraceParent), Optional(headers, EventHeaders.TraceState), isRemote: true, out var parent);
        return new ConsumedEvent(envelope, result.Topic, result.Partition.Value, result.Offset.Value, parent);
    }

    public static byte[] Encode(string value) => Encoding.UTF8.GetBytes(value);

    public static string? Optional(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static string Required(Headers headers, string name)
    {
        var value = Optional(headers, name);
        return string.IsNullOrEmpty(value)
            ? throw new PermanentEventException($"Required header '{name}' is missing.")
            : value;
    }
}
