using RetentionPlatform.EventBus;

namespace RetentionPlatform.Profiles.IntegrationEvents.Processors;

/// <summary>
/// Applies the Notifications service's <c>retention.message-events.v1</c> to customers' profiles, exactly as the same
/// events sent by a partner are applied: a send becomes a touch in the contact history (the durable record of the
/// budget the contact decision reserved), opens and clicks count as engagement, a bounce marks the channel, an
/// unsubscribe withdraws the consent of its channel and purpose, and feedback from a message is the customer's feedback.
/// The pipeline's own bookkeeping (requested, deferred, denied, retrying, failed) is not a fact about the customer.
/// </summary>
public sealed class MessageEventsProcessor(CustomerEventsProcessor customerEvents) : IEventProcessor
{
    private static readonly HashSet<string> Applied = new(StringComparer.Ordinal)
    {
        "message_sent", "message_delivered", "message_opened", "message_clicked", "message_bounced", "message_unsubscribed", "feedback_submitted",
    };

    public Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken)
    {
        var applied = eventsOfOneKey.Where(e => Applied.Contains(e.Envelope.EventType)).ToList();
        return applied.Count == 0 ? Task.CompletedTask : customerEvents.ProcessAsync(applied, cancellationToken);
    }
}
