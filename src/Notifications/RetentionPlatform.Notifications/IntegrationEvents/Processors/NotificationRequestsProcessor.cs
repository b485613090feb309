using System.Text.Json;
using RetentionPlatform.EventBus;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Notifications.IntegrationEvents.Processors;

/// <summary>
/// Accepts send requests from <c>retention.notification-requests.v1</c> (journeys and partners that prefer Kafka).
/// The envelope names the tenant and the customer; the payload is
/// <c>{"templateId","channels":["email",...],"purpose","kind"?,"locale"?,"data"?,"sendAt"?,"idempotencyKey"?}</c>.
/// Without an idempotency key the event id is the key, so a redelivered event is the same message. A request that can
/// never be valid goes to the dead-letter topic with the reason.
/// </summary>
public sealed class NotificationRequestsProcessor(Notifier notifier) : IEventProcessor
{
    public async Task ProcessAsync(IReadOnlyList<ConsumedEvent> eventsOfOneKey, CancellationToken cancellationToken)
    {
        foreach (var consumed in eventsOfOneKey)
        {
            var envelope = consumed.Envelope;
            if (!TenantId.IsValid(envelope.TenantId))
            {
                throw new PermanentEventException($"Event {envelope.EventId} has an invalid tenant '{envelope.TenantId}'.");
            }

            NotificationRequest request;
            try
            {
                request = Parse(envelope);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new PermanentEventException($"Event {envelope.EventId} is not a notification request: {e.Message}", e);
            }

            var errors = await notifier.ValidateAsync(envelope.TenantId, request, n => n, cancellationToken);
            if (errors.Count > 0)
            {
                throw new PermanentEventException($"Event {envelope.EventId} is not a valid notification request: {string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
            }

            var outcome = await notifier.SubmitAsync(envelope.TenantId, request, cancellationToken);
            if (outcome.Conflict is { } conflict)
            {
                throw new PermanentEventException($"Event {envelope.EventId}: {conflict}");
            }
        }
    }

    private static NotificationRequest Parse(EventEnvelope envelope)
    {
        using var document = JsonDocument.Parse(envelope.Payload);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("The payload must be a JSON object.");
        }

        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var templateId = Text("templateId") ?? throw new InvalidOperationException("templateId is required.");
        if (!Names.TryParsePurpose(Text("purpose"), out var purpose))
        {
            throw new InvalidOperationException("purpose must be transactional, service or marketing.");
        }

        var channels = new List<NotificationChannel>();
        if (root.TryGetProperty("channels", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                channels.Add(Names.TryParseChannel(item.ValueKind == JsonValueKind.String ? item.GetString() : null, out var channel)
                    ? channel
                    : throw new InvalidOperationException("channels holds email, sms, push or webhook."));
            }
        }
        else
        {
            channels.Add(NotificationChannel.Email);
        }

        DateTimeOffset? sendAt = Text("sendAt") is { } at ? DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture) : null;
        var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
        return new NotificationRequest(
            envelope.CustomerId, templateId, channels, purpose, Text("idempotencyKey") ?? envelope.EventId, Text("kind") ?? $"template:{templateId}",
            Text("locale"), data, sendAt, "kafka");
    }
}
