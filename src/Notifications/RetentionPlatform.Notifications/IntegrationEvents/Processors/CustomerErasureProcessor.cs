using RetentionPlatform.EventBus;
using RetentionPlatform.Notifications.Infrastructure;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Notifications.IntegrationEvents.Processors;

/// <summary>
/// Erases a customer's messages on <c>customer_erased</c>, whether a partner sent it (<c>retention.customer-events.v1</c>)
/// or the Profiles API announced it (<c>retention.profile-events.v1</c>): unsent messages are withdrawn, and what the
/// log and messages say about the customer is removed. Erasing twice is harmless, so redelivery is too.
/// </summary>
public sealed class CustomerErasureProcessor(MessageStore messages) : IEventProcessor
{
    public async Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken)
    {
        if (!eventsOfOneKey.Any(e => e.Envelope.EventType == "customer_erased"))
        {
            return;
        }

        var first = eventsOfOneKey[0].Envelope;
        if (!TenantId.IsValid(first.TenantId) || CustomerId.Validate(first.CustomerId) is not null)
        {
            throw new PermanentEventException($"Event {first.EventId} has an invalid tenant '{first.TenantId}' or customer '{first.CustomerId}'.");
        }

        await messages.EraseCustomerAsync(first.TenantId, first.CustomerId, cancellationToken);
    }
}
