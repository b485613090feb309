using System.Text.Json;
using RetentionPlatform.EventBus;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Profiles.IntegrationEvents.Processors;

/// <summary>
/// Applies <c>retention.customer-events.v1</c> to customers' grains. The consumer hands over one customer's
/// events at a time, so one grain call (and one state write) covers them all.
/// </summary>
public sealed class CustomerEventsProcessor(IGrainFactory grains) : IEventProcessor
{
    public async Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken)
    {
        var first = eventsOfOneKey[0].Envelope;
        if (!TenantId.IsValid(first.TenantId) || CustomerId.Validate(first.CustomerId) is not null)
        {
            throw new PermanentEventException($"Event {first.EventId} has an invalid tenant '{first.TenantId}' or customer '{first.CustomerId}'.");
        }

        var events = new List<CustomerEventData>(eventsOfOneKey.Count);
        foreach (var consumed in eventsOfOneKey)
        {
            var e = consumed.Envelope;
            events.Add(new CustomerEventData(e.EventId, e.EventType, e.OccurredAt, PropertiesOf(e.Payload)));
        }

        await grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(first.TenantId, first.CustomerId))
            .ApplyAsync(events)
            .WaitAsync(cancellationToken);
    }

    /// <summary>The <c>properties</c> object of an ingested event's JSON payload, as JSON text (null when absent or unreadable).</summary>
    public static string? PropertiesOf(ReadOnlyMemory<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(payload.Span);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("properties", out var properties)
                && properties.ValueKind == JsonValueKind.Object
                    ? properties.GetRawText()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
