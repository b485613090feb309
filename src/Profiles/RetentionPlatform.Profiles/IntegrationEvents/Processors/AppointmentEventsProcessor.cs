using RetentionPlatform.EventBus;

namespace RetentionPlatform.Profiles.IntegrationEvents.Processors;

/// <summary>
/// Applies the Scheduling service's <c>retention.appointment-events.v1</c> to customers' profiles (upcoming
/// appointments, visits, cancellations, no-shows), exactly as the same events sent by a partner are applied. Only
/// an appointment's changes count: reminders and waitlist offers are for Notifications, not facts about the customer.
/// </summary>
public sealed class AppointmentEventsProcessor(CustomerEventsProcessor customerEvents) : IEventProcessor
{
    private static readonly HashSet<string> Applied = new(StringComparer.Ordinal)
    {
        "appointment_booked", "appointment_rescheduled", "appointment_cancelled", "appointment_completed", "appointment_no_show",
    };

    public Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken)
    {
        var applied = eventsOfOneKey.Where(e => Applied.Contains(e.Envelope.EventType)).ToList();
        return applied.Count == 0 ? Task.CompletedTask : customerEvents.ProcessAsync(applied, cancellationToken);
    }
}
