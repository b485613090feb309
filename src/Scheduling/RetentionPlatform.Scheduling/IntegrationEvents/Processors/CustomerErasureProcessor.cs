using NodaTime;
using RetentionPlatform.EventBus;
using RetentionPlatform.Scheduling.Infrastructure;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Scheduling.IntegrationEvents.Processors;

/// <summary>
/// Erases a customer's scheduling data on <c>customer_erased</c>, whether a partner sent it
/// (<c>retention.customer-events.v1</c>) or the Profiles API announced an erasure (<c>retention.profile-events.v1</c>).
/// Every other event is ignored. Erasing twice is harmless, so redelivery is too.
/// </summary>
public sealed class CustomerErasureProcessor(ScheduleStore schedules, BookingStore bookings, TimeProvider time) : IEventProcessor
{
    public const string ErasureEventType = "customer_erased";

    public async Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken)
    {
        if (!eventsOfOneKey.Any(e => e.Envelope.EventType == ErasureEventType))
        {
            return;
        }

        var first = eventsOfOneKey[0].Envelope;
        if (!TenantId.IsValid(first.TenantId) || CustomerId.Validate(first.CustomerId) is not null)
        {
            throw new PermanentEventException($"Event {first.EventId} has an invalid tenant '{first.TenantId}' or customer '{first.CustomerId}'.");
        }

        var schedule = await schedules.GetAsync(first.TenantId, cancellationToken);
        await bookings.EraseCustomerAsync(first.TenantId, first.CustomerId, schedule, Instant.FromDateTimeOffset(time.GetUtcNow()), cancellationToken);
    }
}
