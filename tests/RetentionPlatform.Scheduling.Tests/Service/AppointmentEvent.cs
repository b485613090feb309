using System.Text.Json;
using RetentionPlatform.EventBus;

namespace RetentionPlatform.Scheduling.Tests.Service;

/// <summary>One event read from <c>retention.appointment-events.v1</c>: its envelope, Kafka key and payload properties.</summary>
public sealed record AppointmentEvent(EventEnvelope Envelope, string Key, JsonElement Properties)
{
    public string Type => Envelope.EventType;

    /// <summary>A text property of the payload, or null when it has none.</summary>
    public string? this[string name] => Properties.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public bool Is(string type, string appointmentId) => Type == type && this["appointmentId"] == appointmentId;
}
