using NodaTime;

namespace RetentionPlatform.Scheduling.Model;

/// <summary>
/// The rules of self-service booking for one service.
/// </summary>
/// <param name="MinimumNotice">How far ahead a customer must book.</param>
/// <param name="BookingHorizon">How far ahead a customer may book.</param>
/// <param name="CancellationCutoff">A customer may cancel only this long before the start (the business always may).</param>
/// <param name="RescheduleCutoff">A customer may move an appointment only this long before its start.</param>
/// <param name="SlotStep">The spacing of offered start times.</param>
/// <param name="ReminderOffsets">How long before the start each <c>appointment_reminder_due</c> event fires.</param>
public sealed record BookingPolicy(
    Duration MinimumNotice,
    Duration BookingHorizon,
    Duration CancellationCutoff,
    Duration RescheduleCutoff,
    Duration SlotStep,
    IReadOnlyList<Duration> ReminderOffsets)
{
    public static BookingPolicy Default { get; } = new(
        Duration.Zero,
        Duration.FromDays(90),
        Duration.Zero,
        Duration.Zero,
        Duration.FromMinutes(15),
        [Duration.FromHours(24), Duration.FromHours(2)]);
}
