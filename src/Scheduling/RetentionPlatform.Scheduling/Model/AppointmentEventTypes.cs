namespace RetentionPlatform.Scheduling.Model;

/// <summary>The event types the Scheduling service puts on <c>retention.appointment-events.v1</c>.</summary>
public static class AppointmentEventTypes
{
    public const string Booked = "appointment_booked";
    public const string Rescheduled = "appointment_rescheduled";
    public const string Cancelled = "appointment_cancelled";
    public const string Completed = "appointment_completed";
    public const string NoShow = "appointment_no_show";
    public const string ReminderDue = "appointment_reminder_due";
    public const string SlotOffered = "appointment_slot_offered";
}
