using RetentionPlatform.EventBus;
using RetentionPlatform.Recommendations.Infrastructure;
using RetentionPlatform.Recommendations.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Recommendations.IntegrationEvents.Processors;

/// <summary>
/// Learns from <c>retention.customer-events.v1</c>: one customer's events at a time are recorded in PostgreSQL
/// (items they name, interactions, the cart) in one transaction, and only then applied to the tenant's model, and
/// only the interactions not recorded before, so a redelivered event never counts twice. A <c>customer_erased</c>
/// event deletes the customer's rows and history; the events before it in the same batch are moot. It also reads
/// <c>retention.profile-events.v1</c>, where only <c>customer_erased</c> (an erasure through the Profiles API) matters.
/// </summary>
public sealed class CustomerEventsProcessor(Recommender recommender, RecommendationStore store, TimeProvider time) : IEventProcessor
{
    public async Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken)
    {
        var first = eventsOfOneKey[0].Envelope;
        if (!TenantId.IsValid(first.TenantId) || CustomerId.Validate(first.CustomerId) is not null)
        {
            throw new PermanentEventException($"Event {first.EventId} has an invalid tenant '{first.TenantId}' or customer '{first.CustomerId}'.");
        }

        var (tenantId, customerId) = (first.TenantId, first.CustomerId);
        var signals = eventsOfOneKey.Select(e => CustomerEventSignal.Read(e.Envelope)).ToArray();
        var start = Array.FindLastIndex(signals, s => s.IsErasure) + 1;
        var model = start > 0 || signals.Any(s => s.Kind is not null) ? recommender.For(tenantId) : null;
        if (model is null)
        {
            return;
        }

        if (start > 0)
        {
            await store.EraseCustomerAsync(tenantId, customerId, cancellationToken);
            model.EraseCustomer(customerId);
        }

        var items = new Dictionary<string, ItemAttributes>(StringComparer.Ordinal);
        var interactions = new List<RecordedInteraction>();
        var cart = new HashSet<string>(model.CartOf(customerId), StringComparer.Ordinal);
        (string[] ItemIds, DateTimeOffset At)? cartChange = null;
        for (var i = start; i < signals.Length; i++)
        {
            var (signal, envelope) = (signals[i], eventsOfOneKey[i].Envelope);
            if (signal.Kind is not { } kind)
            {
                continue;
            }

            foreach (var itemId in signal.ItemIds)
            {
                var said = signal.Attributes ?? new ItemAttributes(itemId, null, null, null, null);
                items[itemId] = items.TryGetValue(itemId, out var earlier) ? said.Over(earlier) : said;
                if (!signal.IsCart || !cart.Contains(itemId))
                {
                    interactions.Add(new RecordedInteraction(envelope.EventId, new Interaction(customerId, itemId, kind, envelope.OccurredAt)));
                }
            }

            if (signal.IsCart)
            {
                cart = new HashSet<string>(signal.ItemIds, StringComparer.Ordinal);
                cartChange = ([.. cart], envelope.OccurredAt);
            }
            else if (kind == InteractionKind.Purchase && signal.ItemIds.Any(cart.Remove))
            {
                cartChange = ([.. cart], envelope.OccurredAt);
            }
        }

        if (items.Count == 0 && cartChange is null)
        {
            return;
        }

        var recorded = await store.RecordEventsAsync(tenantId, customerId, items.Values, interactions, cartChange, time.GetUtcNow(), cancellationToken);
        foreach (var item in items.Values.Where(i => i.SaysAnything))
        {
            model.UpdateItemFromEvent(item.ItemId, item.Name, item.Category, item.Price, item.Available, eventsOfOneKey[start].Envelope.OccurredAt);
        }

        model.Apply([.. recorded.Select(r => r.Interaction)]);
        if (cartChange is { } change)
        {
            model.SetCart(customerId, change.ItemIds, change.At);
        }
    }
}
