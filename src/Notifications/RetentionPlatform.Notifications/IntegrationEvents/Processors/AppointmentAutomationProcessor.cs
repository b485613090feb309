using System.Text.Json;
using RetentionPlatform.EventBus;
using RetentionPlatform.Notifications.Infrastructure;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Notifications.IntegrationEvents.Processors;

/// <summary>
/// Turns the Scheduling service's <c>retention.appointment-events.v1</c> into messages: a due reminder becomes a
/// transactional reminder (template <c>appointment_reminder</c>, with reschedule and cancel links), a completed
/// appointment a feedback request (template <c>appointment_feedback</c>, purpose service). Both go through the same
/// pipeline as any message, so the contact decision is asked first. A cancelled or moved appointment withdraws its
/// reminders that were not sent yet. The event id is the idempotency key, so a redelivered event is one message.
/// </summary>
public sealed class AppointmentAutomationProcessor(Notifier notifier, MessageStore messages) : IEventProcessor
{
    public const string ReminderTemplate = "appointment_reminder";
    public const string FeedbackTemplate = "appointment_feedback";

    private static readonly NotificationChannel[] Channels = [NotificationChannel.Email, NotificationChannel.Sms, NotificationChannel.Push];

    public async Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken)
    {
        foreach (var consumed in eventsOfOneKey)
        {
            var envelope = consumed.Envelope;
            if (envelope.EventType is not ("appointment_reminder_due" or "appointment_completed" or "appointment_cancelled" or "appointment_rescheduled"))
            {
                continue;
            }

            if (!TenantId.IsValid(envelope.TenantId) || CustomerId.Validate(envelope.CustomerId) is not null)
            {
                throw new PermanentEventException($"Event {envelope.EventId} has an invalid tenant '{envelope.TenantId}' or customer '{envelope.CustomerId}'.");
            }

            var properties = Properties(envelope);
            var appointmentId = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("appointmentId", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()!
                : throw new PermanentEventException($"Event {envelope.EventId} names no appointmentId.");
            if (envelope.EventType is "appointment_cancelled" or "appointment_rescheduled")
            {
                await messages.CancelRemindersAsync(envelope.TenantId, envelope.CustomerId, appointmentId, cancellationToken);
                continue;
            }

            var reminder = envelope.EventType == "appointment_reminder_due";
            var request = new NotificationRequest(
                envelope.CustomerId,
                reminder ? ReminderTemplate : FeedbackTemplate,
                Channels,
                reminder ? NotificationPurpose.Transactional : NotificationPurpose.Service,
                reminder ? envelope.EventId : $"feedback:{appointmentId}",
                reminder ? "appointment-reminder" : "appointment-feedback",
                null,
                properties,
                null,
                "appointment");
            await notifier.SubmitAsync(envelope.TenantId, request, cancellationToken);
        }
    }

    private static JsonElement Properties(EventEnvelope envelope)
    {
        try
        {
            using var document = JsonDocument.Parse(envelope.Payload);
            return document.RootElement.TryGetProperty("properties", out var properties) ? properties.Clone() : default;
        }
        catch (JsonException e)
        {
            throw new PermanentEventException($"Event {envelope.EventId} is not JSON.", e);
        }
    }
}
